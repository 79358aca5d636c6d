"""Shared by the benchmark scripts: make sure their scratch PostgreSQL database exists."""

import psycopg


def ensure_database(url: str) -> None:
    """Create the database named at the end of a postgres:// URL if the server lacks it."""
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0].replace("postgres://", "postgresql://", 1) + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")
