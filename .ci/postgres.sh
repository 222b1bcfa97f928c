# start_postgres starts Debian's PostgreSQL cluster on 127.0.0.1:5432 and makes
# the role and database the store tests use. Safe to call twice.
start_postgres() {
	local ver
	ver=$(ls /usr/lib/postgresql | sort -V | tail -n1)
	if ! pg_lsclusters -h 2>/dev/null | grep -q "^$ver main"; then
		pg_createcluster "$ver" main >/dev/null
	fi
	pg_ctlcluster "$ver" main start 2>/dev/null || true
	# The store's outage test stops and restarts the server with this.
	export RLD_TEST_PG_CTL="pg_ctlcluster $ver main"
	for _ in $(seq 1 30); do
		pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1 && break
		sleep 1
	done
	su postgres -c "psql -qtc \"SELECT 1 FROM pg_roles WHERE rolname='rld'\"" | grep -q 1 ||
		su postgres -c "psql -qc \"CREATE ROLE rld LOGIN PASSWORD 'rld'\""
	su postgres -c "psql -qtc \"SELECT 1 FROM pg_database WHERE datname='rld_test'\"" | grep -q 1 ||
		su postgres -c "psql -qc \"CREATE DATABASE rld_test OWNER rld\""
}
