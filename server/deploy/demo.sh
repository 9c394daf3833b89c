#!/bin/sh
# Installs what is needed, builds gehoord, and starts a demo instance on
# http://127.0.0.1:8080 with the demo survey, a fresh demo key and a batch
# of survey links (printed below and written as a printable QR sheet), the
# anonymous report form (/melden), a desk account and a researcher account
# (their passwords are in build/demo/, printed below).
# Everything lives in build/demo/; run again for a fresh demo.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
"$top/server/deploy/install-deps.sh"
"$top/server/deploy/build.sh" "$top/build" -DCMAKE_BUILD_TYPE=Release

g="$top/build/gehoord"
demo="$top/build/demo"
rm -rf "$demo"
mkdir -m 700 -p "$demo"
head -c 24 /dev/urandom | base64 > "$demo/passphrase"
"$g" init --db "$demo/demo.db" >/dev/null
pk=$("$g" keygen --out "$demo/wave.key" --passphrase-file "$demo/passphrase")
wave=$("$g" wave create --db "$demo/demo.db" --def "$top/survey-defs/demo.json" \
	--name demo --public-key "$pk")
"$g" tokens issue --db "$demo/demo.db" --wave "$wave" --count 10 \
	--unit "Demo" --base-url http://127.0.0.1:8080 \
	--csv "$demo/links.csv" --sheet "$demo/qr-sheet.html" >/dev/null 2>&1

# Accounts: the first desk user makes the desk's key; a researcher.
head -c 18 /dev/urandom | base64 > "$demo/desk.password"
head -c 18 /dev/urandom | base64 > "$demo/researcher.password"
"$g" user add --db "$demo/demo.db" --name desk --role desk \
	--password-file "$demo/desk.password" >/dev/null
"$g" user add --db "$demo/demo.db" --name onderzoeker --role researcher \
	--password-file "$demo/researcher.password" >/dev/null

echo
echo "gehoord demo: wave $wave with 10 one-time links (each works once):"
tail -n +2 "$demo/links.csv" | tr -d '\r' | sed 's/^/  /'
echo
echo "Printable QR sheet: $demo/qr-sheet.html"
echo "Count the answers afterwards (as the key custodian):"
echo "  $g tally --db $demo/demo.db --wave $wave --key $demo/wave.key \\"
echo "    --passphrase-file $demo/passphrase --out $demo/tally"
echo "Release the tables (k = 10: answer with at least 10 links first):"
echo "  $g release --db $demo/demo.db --wave $wave --key $demo/wave.key \\"
echo "    --passphrase-file $demo/passphrase --plan $top/survey-defs/plans/demo.json \\"
echo "    --out $demo/release-1"
echo
echo "Report anonymously:  http://127.0.0.1:8080/melden"
echo "Desk (reports):      http://127.0.0.1:8080/login  name desk, password in $demo/desk.password"
echo "Research (releases): http://127.0.0.1:8080/login  name onderzoeker, password in $demo/researcher.password"
echo
echo "Serving on http://127.0.0.1:8080 (Ctrl-C stops it)"
# As root, serve drops to an unprivileged user after opening its files.
user=""
[ "$(id -u)" -eq 0 ] && user="--user nobody"
# shellcheck disable=SC2086
exec "$g" serve --db "$demo/demo.db" --listen 127.0.0.1:8080 $user
