#!/usr/bin/env bash
# toex crypto: identify and validate wallet addresses from exhibits, find them in chats (offline).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p out
show() { if command -v column >/dev/null; then column -s, -t; else cat; fi; }

echo "== toex crypto check: chain, type, checksum, canonical form and why a value fails"
toex crypto check examples/crypto_wallets.csv -c wallet --recover-case -o out/crypto_wallets_checked.csv --force
cut -d, -f3-6,8 out/crypto_wallets_checked.csv | show

echo "== toex crypto find: every checksum-valid address in the chat text, one row per hit"
toex crypto find examples/crypto_chats.csv -c text -k sender -k sent_at -o out/crypto_found.csv --force
cut -d, -f2,4-10 out/crypto_found.csv | show

echo "== near-misses too (a typo in an address is evidence)"
toex crypto find examples/crypto_chats.csv -c text --include-invalid | cut -d, -f2,6-9,11 | show

echo "== toex crypto lookup refuses without --online, and says what would be sent where"
if toex crypto lookup out/crypto_wallets_checked.csv -c wallet_normalised -o out/crypto_lookup.csv --force; then
  echo "unexpected: lookup ran without --online" >&2; exit 1
else
  echo "(refused as designed: nothing was sent)"
fi
