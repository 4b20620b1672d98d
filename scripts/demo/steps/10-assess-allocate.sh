# From a questionnaire to an agreed budget and a payment schedule:
# answers.csv holds 47 completed questionnaires for 36 people (P001 to
# P036, all assessed on 2026-04-01), 11 of them with both their own
# self-assessment and their practitioner's; ras.json is the council's
# resource allocation system, funding.json its direct-payment terms.
# Leaves $WORK/scored.csv (pb-assess) and $WORK/allocations.csv
# (pb-allocate) for the stages after this one.

# assess_show_to FILE ALLOWED COMMAND [ARG...]: like show, with the
# command's standard output going to FILE.
assess_show_to() {
	as_out=$1
	as_allowed=$2
	shift 2
	as_line=
	for as_a in "$@"; do
		case $as_a in
		*[!A-Za-z0-9_./,:=+-]*) as_a="'$as_a'" ;;
		esac
		as_line="$as_line $as_a"
	done
	echo "\$$as_line > $as_out" | sed "s|$WORK/||g"
	"$@" > "$as_out" 2>"$WORK/.err"
	as_st=$?
	sed -e "s|$WORK/||g" -e 's/^/    /' "$WORK/.err"
	for as_ok in $as_allowed; do
		if [ "$as_st" = "$as_ok" ]; then
			[ "$as_st" = 0 ] || echo "    (exit status $as_st, as expected here)"
			return 0
		fi
	done
	echo "demo: $1: exit status $as_st" >&2
	exit 1
}

heading "Scoring the assessments with the council's RAS (pb-assess)"
assess_show_to "$WORK/scored.csv" "0" pb-assess --ras ras.json answers.csv
echo
echo "Points, indicative budgets and flags, the first columns of scored.csv:"
show "0" cut -d, -f1-4,14-17 "$WORK/scored.csv"

heading "How one person's self-assessment and their practitioner's were scored"
show "0" sh -c "grep -e ^person_id -e ^P002, answers.csv | pb-assess --ras ras.json --explain"

heading "The price per point that fits 350,000.00 a year (--calibrate)"
assess_show_to "$WORK/calibrated.csv" "0" pb-assess --ras ras.json \
	--calibrate 350000 answers.csv

heading "Allocations: agreed budgets, funding streams and payments (pb-allocate)"
assess_show_to "$WORK/allocations.csv" "0" pb-allocate --funding funding.json \
	--pot 400000 "$WORK/scored.csv"
echo
show "0" cat "$WORK/allocations.csv"
