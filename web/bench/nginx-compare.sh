#!/usr/bin/env bash
# nginx-compare.sh — how fast is an article page from ratelimit-doctor compared
# with nginx serving the very same HTML as a file from disk?
#
# Builds the program, starts it on loopback, saves the rendered article, serves
# that file with nginx (access log off, sendfile on), then runs
# `wrk -c64 -t2 -d10s` against each and prints both req/s and the ratio.
# Target: ratio >= 0.5. Needs: go, nginx, wrk, curl (apt-get install -y nginx wrk curl).
#
# Environment: SLUG (default agent-loops), DURATION (default 10s),
# ROUNDS (default 1), APP_PORT (default 18080), NGINX_PORT (default 18081), RLD_BIN (use this
# binary instead of building one).
set -euo pipefail
cd "$(dirname "$0")/../.."

SLUG=${SLUG:-agent-loops}
DURATION=${DURATION:-10s}
APP_PORT=${APP_PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}

for tool in nginx wrk curl go; do
  command -v "$tool" >/dev/null || { echo "nginx-compare: $tool is missing (apt-get install -y nginx wrk curl)" >&2; exit 2; }
done

work=$(mktemp -d)
app_pid=""
nginx_started=""
cleanup() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  if [ -n "$nginx_started" ]; then nginx -p "$work" -c "$work/nginx.conf" -s stop 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${RLD_BIN:-}" ]; then
  cp "$RLD_BIN" "$work/rld"   # a binary built earlier (e.g. while another package is mid-edit)
else
  echo "== building"
  go build -o "$work/rld" .
fi

"$work/rld" serve --addr "127.0.0.1:$APP_PORT" 2>"$work/app.log" &
app_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$APP_PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$APP_PORT/healthz" >/dev/null || { echo "server did not start:" >&2; cat "$work/app.log" >&2; exit 1; }

app_url="http://127.0.0.1:$APP_PORT/articles/$SLUG"
nginx_url="http://127.0.0.1:$NGINX_PORT/articles/$SLUG.html"
mkdir -p "$work/www/articles" "$work/logs"
curl -fsS "$app_url" -o "$work/www/articles/$SLUG.html"
echo "== article $SLUG: $(wc -c <"$work/www/articles/$SLUG.html") bytes"

cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { text/html html; }
  client_body_temp_path $work/tmp;
  proxy_temp_path $work/tmp;
  fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp;
  scgi_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $work/www;
  }
}
CONF
mkdir -p "$work/tmp"
# nginx workers run as an unprivileged user when started as root: let them read.
chmod -R a+rX "$work"
nginx -p "$work" -c "$work/nginx.conf"
nginx_started=1
sleep 0.3
cmp -s <(curl -fsS "$nginx_url") "$work/www/articles/$SLUG.html" || { echo "nginx does not serve the same bytes" >&2; exit 1; }

rps() { wrk -c64 -t2 -d"$DURATION" "$@" | awk '/^Requests\/sec:/ {print $2}'; }

# On a shared machine one run can be skewed by whatever else runs; ROUNDS>1
# alternates the two servers and reports every round and the median ratio.
ROUNDS=${ROUNDS:-1}
ratios=()
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round: wrk -c64 -t2 -d$DURATION against ratelimit-doctor ($app_url), then nginx ($nginx_url)"
  ours=$(rps "$app_url")
  theirs=$(rps "$nginx_url")
  ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.2f", a / b }')
  ratios+=("$ratio")
  printf 'ratelimit-doctor: %s req/s\nnginx:            %s req/s\nratio:            %s\n' "$ours" "$theirs" "$ratio"
done
echo "== ratelimit-doctor with Accept-Encoding: gzip (pre-compressed page)"
echo "ratelimit-doctor (gzip): $(rps -H "Accept-Encoding: gzip" "$app_url") req/s"

median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
awk -v r="$median" -v n="$ROUNDS" 'BEGIN { printf "ratio (median of %d): %.2f (target >= 0.50) %s\n", n, r, (r >= 0.5 ? "OK" : "BELOW TARGET") }'
