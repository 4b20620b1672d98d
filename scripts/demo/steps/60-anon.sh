# Pseudonymising before data leaves the council (pb-anon).  The key is
# made here, in $WORK, and removed with it: a key is never shipped.  Since
# it is new on every run, the pseudonyms differ from run to run;
# everything else is the same every day.

heading "A new key for the council (mode 0600; it stays at the council)"
show "0" pb-anon --new-key "$WORK/council.key"
show "0" stat -c '%A %s bytes' "$WORK/council.key"

# A made-up extract with direct identifiers (phone numbers from Ofcom's
# range for drama), as a council system might write it.
cat > "$WORK/extract.csv" <<'EOF'
person_id,First Name,Last Name,birth_date,postcode,phone,email,team,primary_support_reason,delivery_mechanism
MH2001,Alex,Example,14/03/1986,BS1 4DJ,0117 496 0001,alex@example.org,"North, East CMHT",Mental Health Support,Direct Payment only
MH2002,Sam,Sample,02/11/1950,bs5 6xx,0117 496 0002,,South CMHT,Mental Health Support,CASSR Managed Personal Budget
MH2003,Jo,Placeholder,2008-07-30,M1 1AE,,jo@example.org,Central CMHT,Mental Health Support,Direct Payment only
MH2001,Alex,Example,14/03/1986,BS1 4DJ,0117 496 0001,alex@example.org,"North, East CMHT",Mental Health Support,managed
EOF

heading "A council extract with names, contact details, birth dates and postcodes"
show "0" cat "$WORK/extract.csv"

heading "What leaves: pseudonyms (MH2001 twice, one pseudonym), age bands, postcode districts"
show "0" pb-anon --key-file "$WORK/council.key" --as-of 2026-03-31 \
	--age-band-from birth_date --postcode-district postcode "$WORK/extract.csv"

heading "The same as JSON Lines, with the DHSC dashboard's finer age bands"
show "0" pb-anon -k "$WORK/council.key" -a 2026-03-31 -b birth_date -B fine \
	-p postcode -d team -f json "$WORK/extract.csv"

heading "Take-up from the pseudonymised export: the same figures as from the export"
echo "\$ pb-anon -k council.key -a 2026-03-31 -b birth_date export.csv > pseudo.csv"
if ! pb-anon -k "$WORK/council.key" -a 2026-03-31 -b birth_date export.csv \
	> "$WORK/pseudo.csv" 2> "$WORK/.err"; then
	sed 's/^/    /' "$WORK/.err"
	echo "demo: pb-anon failed" >&2
	exit 1
fi
sed 's/^/    /' "$WORK/.err"
show "0" sed -n 1,3p "$WORK/pseudo.csv"
show "1" pb-report takeup --as-of 2026-03-31 --by la_code,age_band --total \
	--format table "$WORK/pseudo.csv"

heading "A key file others may read is refused, as ssh refuses a private key"
cp "$WORK/council.key" "$WORK/shared.key"
chmod 644 "$WORK/shared.key"
show "2" pb-anon -k "$WORK/shared.key" "$WORK/extract.csv"
