# The direct-payment ledger (pb-ledger, one SQLite file in $WORK): the
# allocations of the stage before paid every four weeks to the end of
# June, what people spent from a bank export (bank.csv), balances, an
# audit against the spending policy (policy.json), a correction, the
# recovery of surplus balances, a statement for one person, and the
# journal that hledger and ledger-cli read.  Fixed dates throughout.
# Leaves $WORK/pb-ledger.db and $WORK/ledger.csv (every transaction,
# CONTRACTS.md §9 columns first) for the stages after it.

PB_LEDGER_DB=$WORK/pb-ledger.db
export PB_LEDGER_DB

# ledger_to FILE ALLOWED COMMAND [ARG...]: as show, with standard output
# written to $WORK/FILE.
ledger_to() {
	lt_file=$1
	lt_allowed=$2
	shift 2
	echo "\$ $* > $lt_file" | sed "s|$WORK/||g"
	"$@" > "$WORK/$lt_file" 2> "$WORK/.err"
	lt_st=$?
	sed -e "s|$WORK/||g" -e 's/^/    /' "$WORK/.err"
	for lt_ok in $lt_allowed; do
		[ "$lt_st" = "$lt_ok" ] && return 0
	done
	echo "demo: $1: exit status $lt_st" >&2
	exit 1
}

if [ ! -s "$WORK/allocations.csv" ]; then
	heading "The direct-payment ledger: skipped"
	echo "(no allocations.csv: the pb-allocate stage before this one writes it)"
	return 0
fi

heading "A new ledger: PB_LEDGER_DB=pb-ledger.db (mode 0600) for every command"
show "0" pb-ledger init
show "0" stat -c %A "$WORK/pb-ledger.db"

heading "An account and a payment schedule per allocation"
show "0" pb-ledger import-allocations "$WORK/allocations.csv"
show "0" pb-ledger import-allocations "$WORK/allocations.csv"

heading "Pay every period starting by 2026-06-30 (cron runs this daily: each period is paid once)"
ledger_to payments.csv "0" pb-ledger pay --through 2026-06-30
show "0" head -n 4 "$WORK/payments.csv"
show "0" pb-ledger pay --through 2026-06-30

heading "What people spent, from the bank's export (a batch is taken whole; the same again is skipped)"
show "0" pb-ledger post --source bank bank.csv
show "0" pb-ledger post --source bank bank.csv

heading "Balances on 2026-07-01: weeks_held is the balance in weeks of net payments"
show "0" pb-ledger balance --as-of 2026-07-01 --total --format table

heading "Audit on 2026-07-01 against the spending policy (exit 1: there are findings)"
show "1" pb-ledger audit --as-of 2026-07-01 --policy policy.json --format table

heading "A correction: the bus pass charged twice is reversed, not deleted"
show "0" pb-ledger reverse B0136 --source bank --reason 'charged twice by the card provider' --date 2026-07-01
show "1" pb-ledger reverse B0136 --source bank --reason 'again' --date 2026-07-01

heading "Surplus above 8 weeks recovered down to 4 weeks, back to the funding streams"
show "0" pb-ledger reclaim --as-of 2026-07-01 --format table
show "0" pb-ledger balance --as-of 2026-07-01 --person P003 --format table

heading "A statement to send to a person (Markdown)"
show "0" pb-ledger statement P003 --from 2026-05-01 --to 2026-07-01 --format md

heading "The journal for hledger and ledger-cli, and the books checked"
ledger_to ledger.journal "0" pb-ledger export --format journal
show "0" sed -n 4,8p "$WORK/ledger.journal"
if command -v hledger > /dev/null 2>&1; then
	show "0" hledger -f "$WORK/ledger.journal" balance --depth 1
else
	echo "(hledger is not installed: sh scripts/install-deps installs it)"
fi
ledger_to ledger.csv "0" pb-ledger export
show "0" pb-ledger check
