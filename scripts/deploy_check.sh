#!/usr/bin/env bash
# Run docs/deploy.md's layout on this machine, on loopback, check it through nginx, and
# tear it all down:
#
#   nginx on 127.0.0.1:8088 (deploy/nginx/*.conf, paths moved to a temporary folder)
#     → 2 × `fanshelf serve` (2 sync workers each, as deploy/ runs them) on free loopback ports
#       → PostgreSQL 15 primary + a streaming replica (deploy/postgres-replica.sh)
#       + Redis (scripts/redis.sh) + one `fanshelf worker`
#
# Needs root or the postgres user's tools (Debian's postgresql-15, redis-server, nginx);
# a script a person runs (`scripts/deploy_check.sh`), not part of `make test`.
# DEPLOY_CHECK_PORT changes the port, DEPLOY_CHECK_KEEP=1 keeps the folder (logs).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
FANSHELF=$ROOT/.venv/bin/fanshelf
PYTHON=$ROOT/.venv/bin/python
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PORT=${DEPLOY_CHECK_PORT:-8088}

for tool in nginx redis-server "$PG_BIN/pg_ctl" "$FANSHELF"; do
    command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/fanshelf-deploy.XXXXXX)
chmod 755 "$WORK"   # the postgres user and nginx's workers look inside
PRIMARY=$WORK/primary
REPLICA=$WORK/replica
REDIS=$WORK/redis
NGINX=$WORK/nginx
DATA=$WORK/data
pids=()

step() { printf '\n== %s\n' "$*"; }
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
free_port() {
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

cleanup() {
    status=$?
    step "Tearing down"
    if [ -f "$NGINX/nginx.pid" ]; then
        nginx -p "$NGINX" -c "$NGINX/nginx.conf" -s quit 2>/dev/null || true
    fi
    for pid in "${pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    if [ -f "$REPLICA/data/PG_VERSION" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    "$ROOT/scripts/postgres.sh" stop "$PRIMARY" || true
    "$ROOT/scripts/redis.sh" stop "$REDIS" || true
    if [ "${DEPLOY_CHECK_KEEP:-0}" = 1 ]; then
        echo "kept $WORK"
    else
        rm -rf "$WORK"
    fi
    if [ $status -eq 0 ]; then echo "deploy check: PASSED"; else echo "deploy check: FAILED"; fi
    exit $status
}
trap cleanup EXIT

step "PostgreSQL primary (scripts/postgres.sh) and the fanshelf database"
"$ROOT/scripts/postgres.sh" start "$PRIMARY"
as_postgres "$PG_BIN/psql" -h "$PRIMARY" -U postgres -d postgres -qc "CREATE DATABASE fanshelf"

step "Streaming replica: deploy/postgres-replica.sh (pg_basebackup -R)"
mkdir -p "$REPLICA"
[ "$(id -u)" -eq 0 ] && chown postgres: "$REPLICA"
"$ROOT/deploy/postgres-replica.sh" "host=$PRIMARY user=postgres" "$REPLICA/data" replica1
# Every statement the replica runs goes to its log: that is how we see reads land there.
as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA/data" -l "$REPLICA/server.log" -w -t 60 -o \
    "-c listen_addresses='' -c unix_socket_directories='$REPLICA' -c fsync=off -c log_statement=all" \
    start >/dev/null
for _ in $(seq 50); do
    state=$(as_postgres "$PG_BIN/psql" -h "$PRIMARY" -U postgres -d postgres -Atc \
        "SELECT state FROM pg_stat_replication LIMIT 1" || true)
    [ "$state" = streaming ] && break
    sleep 0.2
done
[ "$state" = streaming ] || { echo "the replica is not streaming: $(tail -5 "$REPLICA/server.log")" >&2; exit 1; }
echo "pg_stat_replication on the primary: $state"

step "Redis (scripts/redis.sh)"
"$ROOT/scripts/redis.sh" start "$REDIS"

export FANSHELF_DATA_DIR=$DATA
export FANSHELF_DATABASE_URL="postgres://postgres@/fanshelf?host=$PRIMARY"
export FANSHELF_DATABASE_REPLICA_URLS="postgres://postgres@/fanshelf?host=$REPLICA"
export FANSHELF_REDIS_URL
FANSHELF_REDIS_URL=$("$ROOT/scripts/redis.sh" url "$REDIS")
export FANSHELF_ALLOWED_HOSTS=127.0.0.1
export FANSHELF_SITE_URL=http://127.0.0.1:$PORT
export FANSHELF_SEEDS_DIR=${FANSHELF_SEEDS_DIR:-$ROOT/../shared/seeds}
# Short enough to see a pin run out during the check; a hit reaches the worker at once.
export FANSHELF_REPLICA_PIN_SECONDS=3
export FANSHELF_TRUSTED_PROXIES=127.0.0.1
export FANSHELF_HITS_FLUSH_ENTRIES=1
env | grep '^FANSHELF_' | sort

step "fanshelf migrate, collectstatic, demo, check --deploy"
"$FANSHELF" migrate -v0
"$FANSHELF" collectstatic --noinput -v0
"$FANSHELF" demo
"$FANSHELF" check --deploy --fail-level CRITICAL 2>&1 | sed 's/^/  /' || true

step "Two web processes (fanshelf serve) and a worker"
web_ports=()
for number in 1 2; do
    web_port=$(free_port)
    web_ports+=("$web_port")
    "$FANSHELF" serve --port "$web_port" --workers 2 --threads 1 --no-collectstatic >"$WORK/web$number.log" 2>&1 &
    pids+=($!)
    echo "web$number: fanshelf serve --port $web_port --workers 2 --threads 1 (pid $!)"
done
"$FANSHELF" worker >"$WORK/worker.log" 2>&1 &
pids+=($!)
echo "worker: fanshelf worker (pid $!)"

step "nginx on 127.0.0.1:$PORT (deploy/nginx/, paths and ports moved)"
mkdir -p "$NGINX/logs" "$NGINX/temp"
sed -e "s|127.0.0.1:8001|127.0.0.1:${web_ports[0]}|" -e "s|127.0.0.1:8002|127.0.0.1:${web_ports[1]}|" \
    "$ROOT/deploy/nginx/fanshelf-http.conf" >"$NGINX/fanshelf-http.conf"
sed -e "s|/srv/fanshelf/data|$DATA|g" "$ROOT/deploy/nginx/fanshelf-proxy.conf" >"$NGINX/fanshelf-proxy.conf"
cat >"$NGINX/nginx.conf" <<EOF
# deploy/nginx/fanshelf-site.conf without TLS, on loopback; the rest included as is.
worker_processes 1;
pid $NGINX/nginx.pid;
error_log $NGINX/logs/error.log warn;
$( [ "$(id -u)" -eq 0 ] && echo "user www-data;" )
events { worker_connections 512; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $NGINX/logs/access.log;
    client_body_temp_path $NGINX/temp/body;
    proxy_temp_path $NGINX/temp/proxy;
    fastcgi_temp_path $NGINX/temp/fastcgi;
    uwsgi_temp_path $NGINX/temp/uwsgi;
    scgi_temp_path $NGINX/temp/scgi;
    include $NGINX/fanshelf-http.conf;
    server {
        listen 127.0.0.1:$PORT;
        server_name 127.0.0.1;
        include $NGINX/fanshelf-proxy.conf;
    }
}
EOF
nginx -p "$NGINX" -c "$NGINX/nginx.conf" -t 2>&1 | sed 's/^/  /'
nginx -p "$NGINX" -c "$NGINX/nginx.conf"

step "Checks through nginx"
export DEPLOY_CHECK_BASE=http://127.0.0.1:$PORT
export DEPLOY_CHECK_REPLICA_LOG=$REPLICA/server.log
export DEPLOY_CHECK_PSQL="$PG_BIN/psql -h $PRIMARY -U postgres -d fanshelf -Atc"
export DEPLOY_CHECK_AS_POSTGRES=$( [ "$(id -u)" -eq 0 ] && echo 1 || echo 0 )
"$PYTHON" - <<'PY'
"""Fetch pages through nginx as a guest and as a new fan; fail loudly on any surprise."""
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ["DEPLOY_CHECK_BASE"]
REPLICA_LOG = os.environ["DEPLOY_CHECK_REPLICA_LOG"]
PORT = int(BASE.rsplit(":", 1)[1])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Reply:
    def __init__(self, status, headers, text):
        self.status, self.headers, self.text = status, headers, text


class Browser:
    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def get(self, path):
        return self.open(urllib.request.Request(BASE + path))

    def post(self, path, fields, *, token_from):
        page = self.get(token_from)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}, doseq=True)
        return self.open(urllib.request.Request(BASE + path, data=body.encode()))

    def open(self, request):
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        return Reply(response.code, response.headers, response.read().decode("utf-8", "replace"))

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)


def check(ok, message):
    print(("  ok    " if ok else "  FAIL  ") + message)
    if not ok:
        raise SystemExit(1)


def replica_statements():
    with open(REPLICA_LOG, encoding="utf-8", errors="replace") as log:
        return sum(1 for line in log if "statement: SELECT" in line)


def primary(sql):
    command = os.environ["DEPLOY_CHECK_PSQL"].split() + [sql]
    if os.environ["DEPLOY_CHECK_AS_POSTGRES"] == "1":
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


guest = Browser()
for _ in range(120):  # the web processes load Django first
    try:
        if guest.get("/healthz").status == 200:
            break
    except OSError:
        pass
    time.sleep(0.5)
response = guest.get("/healthz")
check(response.status == 200, f"GET /healthz {response.status} {response.text.strip()}")
response = guest.get("/readyz")
ready = json.loads(response.text)
check(response.status == 200 and ready["status"] == "ready", f"GET /readyz {response.status} {ready}")

home = guest.get("/")
check(home.status == 200, f"GET / {home.status} (via {home.headers['Server']})")
css = re.search(r'href="(/static/fanshelf/fanshelf\.[0-9a-f]{12}\.css)"', home.text).group(1)
response = guest.get(css)
check(
    response.status == 200 and "immutable" in response.headers.get("Cache-Control", ""),
    f"GET {css} {response.status} from STATIC_ROOT by nginx, Cache-Control: "
    f"{response.headers.get('Cache-Control')}",
)

listing = guest.get("/works/")
work_path = re.search(r'href="(/works/\d+/)"', listing.text).group(1)
before = replica_statements()
response = guest.get(work_path)
after = replica_statements()
check(response.status == 200, f"GET {work_path} {response.status} (a demo work, as a guest)")
check(after > before, f"the replica ran {after - before} SELECTs for that page (its log)")
work_id = work_path.strip("/").split("/")[1]
for _ in range(60):
    hits = int(primary(f"SELECT hit_count FROM works_work WHERE id = {work_id}"))
    if hits:
        break
    time.sleep(0.5)
check(hits > 0, f"the worker wrote the hit to the primary: hit_count = {hits}")

fan = Browser()
name = f"deploycheck{int(time.time())}"
password = "a long deploy check passphrase"
response = fan.post(
    "/signup/",
    {"username": name, "email": f"{name}@example.org", "password": password,
     "password_again": password},
    token_from="/signup/",
)
check(response.status == 302, f"POST /signup/ {response.status} as {name}")
response = fan.post("/logout/", {}, token_from="/")
check(response.status == 302, f"POST /logout/ {response.status}")
response = fan.post("/login/", {"username": name, "password": password}, token_from="/login/")
check(response.status == 302, f"POST /login/ {response.status}")

title = f"Posted through nginx {name}"
response = fan.post(
    "/works/new/",
    {
        "rating": "General Audiences", "warning": "No Archive Warnings Apply",
        "category": "Gen", "fandom": "Original Work", "title": title, "pseud": name,
        "language": "en", "comment_policy": "open", "text_format": "html",
        "body": "<p>Written during the deploy check.</p>", "action": "post",
    },
    token_from="/works/new/",
)
check(response.status == 302, f"POST /works/new/ {response.status} -> {response.headers.get('Location')}")
check(fan.cookie("fanshelf_pin") == "1", "the write set the fanshelf_pin cookie")
new_path = urllib.parse.urlsplit(response.headers["Location"]).path
before = replica_statements()
response = fan.get(new_path)
after = replica_statements()
check(response.status == 200 and title in response.text, f"GET {new_path} {response.status}: the new work at once")
check(after == before, "pinned after the write: that page read nothing from the replica")
time.sleep(int(os.environ.get("FANSHELF_REPLICA_PIN_SECONDS", "3")) + 1)
before = replica_statements()
response = fan.get(new_path)
after = replica_statements()
check(response.status == 200 and title in response.text, f"GET {new_path} {response.status} once the pin ran out")
check(after > before, f"and the replica served it ({after - before} SELECTs): it has the new work")

request = f"POST /works/new/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {30 * 2**20}\r\n\r\n"
with socket.create_connection(("127.0.0.1", PORT), timeout=10) as sock:
    sock.sendall(request.encode())
    status_line = sock.recv(4096).split(b"\r\n", 1)[0].decode()
check(" 413 " in status_line, f"a 30 MB body: nginx answers '{status_line}' before reading it")

slow = []
for _ in range(8):  # more than the 4 gunicorn workers behind nginx
    sock = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    slow.append(sock)
for second in range(3):
    time.sleep(1)
    for sock in slow:
        sock.sendall(b"a")
started = time.monotonic()
response = guest.get("/healthz")
waited = time.monotonic() - started
check(response.status == 200 and waited < 1, f"8 slow clients held by nginx; GET /healthz took {waited * 1000:.0f} ms")
for sock in slow:
    sock.close()

flood = Browser()
replies = [
    flood.post("/login/", {"username": f"x{n}", "password": "wrong"}, token_from="/login/")
    for n in range(40)
]
statuses = [reply.status for reply in replies]
refusers = ["nginx" if "<center>nginx" in reply.text else "Fanshelf" for reply in replies if reply.status == 429]
check(429 in statuses, f"40 log-ins from one address: first 429 at attempt {statuses.index(429) + 1} "
      f"(from {refusers[0]}); {refusers.count('Fanshelf')} refused by Fanshelf, {refusers.count('nginx')} by nginx")
PY

step "fanshelf backup while it runs"
"$FANSHELF" backup "$WORK/backup.zip" -v0
"$PYTHON" -c "import json, sys, zipfile; m = json.loads(zipfile.ZipFile(sys.argv[1]).read('manifest.json')); print('backup.zip:', m['engine'], sum(m['models'].values()), 'rows,', len(m['media']), 'media files')" "$WORK/backup.zip" \
    || ls -l "$WORK/backup.zip"

step "Logs"
grep -c 'GET ' "$WORK/web1.log" "$WORK/web2.log" | sed 's/^/  requests logged by /'
tail -3 "$WORK/worker.log" | sed 's/^/  worker: /'
