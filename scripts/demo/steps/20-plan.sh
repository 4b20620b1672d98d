# Support plans checked before they go to panel (pb-plan): the plans in
# plans/ (fifteen people's as JSON Lines, and one pretty-printed in a
# file of its own) against the allocations of the stage before
# ($WORK/allocations.csv) and the council's spending policy
# (policy.json).  Each plan is approved, goes to a person for review, or
# is returned, with every reason; between them they show every reason
# code: the violin group, a dog, driving lessons and a mobile phone, an
# art teacher four people share, a personal assistant with and without
# insurance (and one who is the person's mum), travel to stay with
# family, a first draft with four mistakes in it.

if [ ! -s "$WORK/allocations.csv" ]; then
	echo "demo: no allocations.csv from the stage before" >&2
	exit 1
fi

heading "Support plans against the allocations and the spending policy (pb-plan)"
show "1" pb-plan check --allocations "$WORK/allocations.csv" \
	--policy policy.json --format table plans/plans.jsonl plans/PL-0016.json

heading "One plan as a page for the person (--format md)"
show "1" sh -c "grep PL-0010 plans/plans.jsonl | pb-plan check -a $WORK/allocations.csv -p policy.json -f md"

heading "A policy with a slip in it is refused before any plan is read"
show "0" sh -c "sed 4s/employer_insurance/employers_insurance/ policy.json > $WORK/policy-slip.json"
show "2" pb-plan check -a "$WORK/allocations.csv" -p "$WORK/policy-slip.json" \
	plans/plans.jsonl
