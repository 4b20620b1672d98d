# The rest of pb-report: take-up over time (and as a chart), the mix of
# delivery mechanisms, weekly costs, the funnel from referral to first
# payment, outcomes from reviews (reviews.csv), what direct payments were
# spent on (the ledger's export, or bank.csv without the ledger stage),
# and one report computed in parts and merged.  Charts go to build/demo/
# to open in a browser; everything else to $WORK.  The four rows of
# export.csv that every report rejects (stage 50 shows them) go to
# $WORK/rejects.csv each time.

CHARTS=$(cd "$DEMO/../.." && pwd)/build/demo
mkdir -p "$CHARTS" || exit 1

# chart FILE ALLOWED COMMAND [ARG...]: as show, standard output to
# build/demo/FILE, then its size and title.
chart() {
	ch_file=$1
	ch_allowed=$2
	shift 2
	echo "\$ $* > build/demo/$ch_file" | sed "s|$WORK/||g"
	"$@" > "$CHARTS/$ch_file" 2> "$WORK/.err"
	ch_st=$?
	sed -e "s|$WORK/||g" -e 's/^/    /' "$WORK/.err"
	for ch_ok in $ch_allowed; do
		if [ "$ch_st" = "$ch_ok" ]; then
			echo "(build/demo/$ch_file: $(wc -c < "$CHARTS/$ch_file") bytes of SVG," \
				"\"$(sed -n 's/^<title>\(.*\)<\/title>$/\1/p' "$CHARTS/$ch_file")\")"
			return 0
		fi
	done
	echo "demo: $1: exit status $ch_st" >&2
	exit 1
}

heading "Take-up at each quarter end of 2025-26, per council"
show "1" pb-report trend --from 2025-04-01 --to 2026-03-31 --every quarter \
	--by la_code --total --format table --rejects "$WORK/rejects.csv" export.csv

heading "The same as a chart, against an 85% target: open build/demo/trend.svg"
chart trend.svg "1" pb-report trend --from 2025-04-01 --to 2026-03-31 \
	--every quarter --by la_code --target 85 --format svg \
	--rejects "$WORK/rejects.csv" export.csv
chart takeup.svg "1" pb-report takeup --as-of 2026-03-31 --total --target 85 \
	--format svg --rejects "$WORK/rejects.csv" export.csv
chart mix.svg "1" pb-report mix --as-of 2026-03-31 --total --no-suppress \
	--format svg --rejects "$WORK/rejects.csv" export.csv

heading "How people get their support: the notional share of personal budgets"
show "1" pb-report mix --as-of 2026-03-31 --by la_code --total --format table \
	--rejects "$WORK/rejects.csv" export.csv

heading "Weekly cost per delivery mechanism (exact figures, for internal use)"
show "1" pb-report cost --as-of 2026-03-31 --no-suppress --total \
	--format table --rejects "$WORK/rejects.csv" export.csv

heading "From referral to first payment: 20,000 generated rows (scripts/gen-export), people referred in 2025-26"
show "0" sh -c "../gen-export 20000 7 > \"$WORK/generated.csv\""
show "0" pb-report funnel --from 2025-04-01 --to 2026-03-31 --total \
	--format table "$WORK/generated.csv"

heading "Outcomes from reviews (reviews.csv), by the people's primary support reason"
show "1" pb-report outcomes --as-of 2026-03-31 --people export.csv --total \
	--format table --rejects "$WORK/rejects.csv" reviews.csv
show "0" tail -n 3 "$WORK/rejects.csv"

LEDGER_EXPORT=$WORK/ledger.csv
[ -s "$LEDGER_EXPORT" ] || LEDGER_EXPORT=bank.csv
heading "What direct payments were spent on, per team (the ledger's people in people.csv; exact, for internal use)"
show "0" pb-report spend --as-of 2026-03-31 --people people.csv --by team \
	--no-suppress --format table "$LEDGER_EXPORT"

heading "The export in two parts, reported apart with --partial, then merged: the same bytes as one run"
show "0" sh -c "head -n 190 export.csv > \"$WORK/part1.csv\""
show "0" sh -c "(head -n 1 export.csv; tail -n +191 export.csv) > \"$WORK/part2.csv\""
for part in 1 2; do
	show "1" sh -c "pb-report takeup --as-of 2026-03-31 --total --partial \"$WORK/part$part.csv\" > \"$WORK/part$part.state\" 2>/dev/null"
done
show "1" sh -c "pb-report merge \"$WORK/part1.state\" \"$WORK/part2.state\" > \"$WORK/merged.csv\""
show "1" sh -c "pb-report takeup --as-of 2026-03-31 --total export.csv > \"$WORK/whole.csv\" 2>/dev/null"
show "0" cmp "$WORK/merged.csv" "$WORK/whole.csv"
echo "(the same bytes)"
