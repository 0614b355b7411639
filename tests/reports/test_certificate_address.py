"""Certificates' verification QR and link use the public address (app/urls.py), also from `flask certificates`."""

from __future__ import annotations

import re

from app import urls

LAN = ["192.168.43.10", "fd00::5"]


def test_certificates_link_to_the_public_address(app, runner, build_session, monkeypatch, tmp_path):
    import subprocess

    monkeypatch.setattr(urls, "lan_addresses", lambda: list(LAN))
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "")
    built = build_session(2)
    out = tmp_path / "c.pdf"
    result = runner.invoke(args=["certificates", str(built.session_id), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"http://192\.168\.43\.10:5000/c/[A-Z0-9]+", text)
    assert "127.0.0.1" not in text and "localhost" not in text

    monkeypatch.setattr(urls, "lan_addresses", lambda: [])
    result = runner.invoke(args=["certificates", str(built.session_id), "-o", str(out)])
    assert result.exit_code == 0
    assert "on no network" in result.output and "PUBLIC_BASE_URL" in result.output


def test_certificates_help_names_public_base_url(runner):
    result = runner.invoke(args=["certificates", "--help"])
    assert result.exit_code == 0 and "PUBLIC_BASE_URL" in result.output
