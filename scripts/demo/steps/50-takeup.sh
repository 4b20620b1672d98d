# Take-up of personal budgets and direct payments (ASCOF 1C / 3D) from a
# council's person export: export.csv holds three councils and four rows
# pb-report must reject; council.csv names its columns its own way.

heading "Take-up on 2026-03-31 by primary support reason, NHS disclosure rule"
show "1" pb-report takeup --as-of 2026-03-31 --total --format table \
	--rejects "$WORK/rejects.csv" export.csv

heading "By council and ASCOF age band"
show "1" pb-report takeup --as-of 2026-03-31 --by la_code,age_band --total \
	--format table export.csv

heading "The rows rejected (rejects.csv, mode 0600, the reason last)"
if [ -s "$WORK/rejects.csv" ]; then
	cat "$WORK/rejects.csv"
else
	echo "demo: no rejects file written" >&2
	exit 1
fi

heading "A council's own column names, read with --map"
show "0" head -n 1 council.csv
show "0" pb-report takeup --as-of 2026-03-31 \
	--map 'person_id=Client ID,primary_support_reason=PSR' --format table \
	council.csv
