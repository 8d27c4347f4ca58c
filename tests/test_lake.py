"""The lake's DuckDB extensions (tracker/lake.py): every one it loads comes
pinned in requirements.txt and is installed from its PyPI package, never
downloaded, the S3 ones of a bucket's data path included."""

from __future__ import annotations

import re

import duckdb

from tests.conftest import ROOT
from tracker import lake

# Nothing answers here: a download attempted through it fails at once.
NOWHERE = "http://127.0.0.1:9"


def test_every_extension_the_lake_loads_is_pinned_at_duckdbs_version():
    pinned = dict(
        re.findall(r"^duckdb-extension-([a-z0-9_]+)==(\S+)", (ROOT / "requirements.txt").read_text(), re.MULTILINE)
    )
    wanted = {name: duckdb.__version__ for name in (*lake.LAKE_EXTENSIONS, *lake.S3_EXTENSIONS)}
    assert {name: pinned.get(name) for name in wanted} == wanted


def test_an_s3_data_path_gets_its_extensions_and_credentials_offline(tmp_path, monkeypatch):
    # A fresh extension folder, and every way to the internet closed: the
    # extensions must come from the installed packages.
    monkeypatch.setenv("TRACKER_EXTENSION_DIR", str(tmp_path / "extensions"))
    monkeypatch.setattr(lake, "_installed", set())
    offline = {**lake.config(), "custom_extension_repository": NOWHERE}
    monkeypatch.setattr(lake, "config", lambda: dict(offline))
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(proxy, NOWHERE)
    # credentials from the environment (the chain looks no further) and an S3-compatible store
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "tracker-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-a-secret")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.delenv("AWS_ENDPOINT_URL_S3", raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://minio.internal:9000/")

    con = duckdb.connect(config=lake.config())
    try:
        lake._prepare_s3(con)
        loaded = dict(
            con.execute(
                "SELECT extension_name, installed_from FROM duckdb_extensions()"
                " WHERE loaded AND list_contains(?, extension_name)",
                [list(lake.S3_EXTENSIONS)],
            ).fetchall()
        )
        secret = con.execute(
            "SELECT type, provider, secret_string FROM duckdb_secrets() WHERE name = 'tracker_s3'"
        ).fetchone()
    finally:
        con.close()

    assert loaded == {name: str(lake.extension_file(name)) for name in lake.S3_EXTENSIONS}
    assert secret[:2] == ("s3", "credential_chain")
    assert {"endpoint=minio.internal:9000", "url_style=path", "use_ssl=false", "key_id=tracker-test"} <= set(
        secret[2].split(";")
    )
