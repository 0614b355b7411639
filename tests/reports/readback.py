"""Read the generated files back with the tools a lecturer and a reviewer use (LibreOffice, poppler, PSPP)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from pathlib import Path


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice is missing: `make system-deps` installs libreoffice-writer-nogui"
    return found


def convert(path: Path, target: str, *, locale: str = "id-ID", timeout: int = 240) -> Path:
    """LibreOffice headless `--convert-to target` in its own profile; the converted file's path.

    Fails (with LibreOffice's output) when the conversion writes no file, which is
    how LibreOffice reports a file it cannot open.
    """
    outdir = path.parent / f"converted-{target.split(':')[0]}"
    outdir.mkdir(exist_ok=True)
    profile = path.parent / "lo-profile"
    env = dict(os.environ, HOME=str(path.parent), LANG="id_ID.UTF-8" if locale == "id-ID" else "C.UTF-8")
    done = subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(outdir),
            str(path),
        ],
        capture_output=True,
        timeout=timeout,
        env=env,
        check=False,
    )
    out = outdir / (path.stem + "." + target.split(":")[0])
    assert done.returncode == 0 and out.exists(), (done.returncode, done.stdout, done.stderr)
    return out


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_text(pdf: Path | bytes) -> str:
    """pdftotext -layout (poppler) of a PDF file or of a PDF's bytes, as a lecturer's viewer would read the page."""
    if isinstance(pdf, bytes):
        done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    else:
        done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return done.stdout.decode()


def pspp(syntax: str, workdir: Path) -> dict[str, list[list[str]]]:
    """Run PSPP syntax; its output tables as {title: rows of cells} (PSPP's CSV output driver)."""
    found = shutil.which("pspp")
    assert found, "PSPP is missing: `make system-deps` installs pspp"
    script, out = workdir / "run.sps", workdir / "out.csv"
    script.write_text(syntax, encoding="utf-8")
    done = subprocess.run(
        [found, "-O", "format=csv", "-o", str(out), str(script)],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, (done.stdout, done.stderr)
    tables: dict[str, list[list[str]]] = {}
    for block in out.read_text(encoding="utf-8").split("\n\n"):
        lines = block.strip().splitlines()
        if not lines or not lines[0].startswith("Table: "):
            continue
        title = lines[0][len("Table: ") :]
        tables[title] = list(csv.reader(io.StringIO("\n".join(lines[1:]))))
    return tables
