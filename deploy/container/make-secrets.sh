#!/bin/sh
# Throw-away secrets and a self-signed certificate for compose.yaml's try-out stack, in
# deploy/container/secrets/ (never commit them; .gitignore keeps them out).
set -eu
cd "$(dirname "$0")"
umask 077
mkdir -p secrets/tls
[ -s secrets/postgres-password ] || openssl rand -hex 24 >secrets/postgres-password
printf 'postgresql://xeberdar_report:%s@postgres:5432/xeberdar\n' \
  "$(cat secrets/postgres-password)" >secrets/postgres-url
[ -s secrets/pow-hmac-key ] || openssl rand -hex 32 >secrets/pow-hmac-key
# Both replicas compute follow-up codes' lookup keys with it: one secret for the stack.
[ -s secrets/follow-up-secret ] || openssl rand -hex 32 >secrets/follow-up-secret
[ -s secrets/tls/privkey.pem ] || openssl req -x509 -newkey ec \
  -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=xeberdar.example \
  -addext subjectAltName=DNS:xeberdar.example,DNS:localhost \
  -keyout secrets/tls/privkey.pem -out secrets/tls/fullchain.pem 2>/dev/null
# The containers' users (www-data, 10001) read these through compose's mounts.
chmod 644 secrets/postgres-url secrets/pow-hmac-key secrets/follow-up-secret \
  secrets/postgres-password \
  secrets/tls/fullchain.pem secrets/tls/privkey.pem
echo "secrets ready in $(pwd)/secrets"
