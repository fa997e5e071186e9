"""Exit 0 if the PostgreSQL server of the given URL accepts connections."""

import sys

import dj_database_url
import psycopg2

cfg = dj_database_url.parse(sys.argv[1])
try:
    psycopg2.connect(
        dbname="postgres",
        user=cfg["USER"],
        password=cfg["PASSWORD"],
        host=cfg["HOST"],
        port=cfg["PORT"] or 5432,
        connect_timeout=3,
    ).close()
except psycopg2.OperationalError:
    sys.exit(1)
