"""Office files (Word, OpenDocument, PowerPoint, Excel, RTF) -> PDF with LibreOffice -> pages.

Each file is converted once per content: the PDF is kept under the file's hash in a
`Conversions` folder (the index keeps one), so an unchanged file is never converted twice.
The PDF is then read as any PDF, and its pages are cited as PDF pages of the original file.
LibreOffice (Debian: libreoffice-writer-nogui, -impress-nogui, -calc-nogui) runs headless, in a
profile of its own per process, and is killed when a file takes longer than the limit.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from ..errors import UnreadableFile
from .pages import RawDocument, file_hash
from .pdf import read_pdf

OFFICE = (".doc", ".docx", ".odt", ".rtf", ".ppt", ".pptx", ".odp", ".xls", ".xlsx", ".ods")
PROGRAMS = ("soffice", "libreoffice")
CONVERT_TIMEOUT = 120   # seconds for one file before the conversion is killed and the file skipped
INSTALL_HINT = "LibreOffice is not installed (Debian: apt-get install libreoffice-writer-nogui " \
               "libreoffice-impress-nogui libreoffice-calc-nogui)"


class Conversions:
    """Converted PDFs by the hash of the file they came from.

    folder: where new conversions are kept; earlier: folders of earlier conversions, looked in
    first (a previous build's), whose PDFs are linked into folder rather than made again."""

    def __init__(self, folder: Path | None = None, earlier: list[Path] | None = None,
                 timeout: float = CONVERT_TIMEOUT):
        self.folder = Path(folder) if folder else None
        self.earlier = [Path(p) for p in earlier or []]
        self.timeout = timeout

    def find(self, sha256: str) -> Path | None:
        for folder in ([self.folder] if self.folder else []) + self.earlier:
            candidate = folder / f"{sha256}.pdf"
            if candidate.is_file():
                return candidate
        return None

    def keep(self, sha256: str) -> Path | None:
        """Make sure folder holds the conversion of sha256 (linked from an earlier one); its path, or None."""
        found = self.find(sha256)
        if found is None or self.folder is None or found.parent == self.folder:
            return found
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / found.name
        try:
            os.link(found, target)
        except OSError:
            shutil.copyfile(found, target)
        return target

    def pdf_for(self, path: Path, sha256: str) -> tuple[Path, float]:
        """(the PDF of the office file at path, seconds spent converting it now). Raises UnreadableFile."""
        kept = self.keep(sha256)
        if kept:
            return kept, 0.0
        folder = self.folder or _scratch()
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        made = convert_to_pdf(path, folder, self.timeout)
        target = folder / f"{sha256}.pdf"
        os.replace(made, target)
        return target, time.perf_counter() - started


@lru_cache(maxsize=1)
def _scratch() -> Path:
    """Where conversions made without a folder of their own are kept until this process ends."""
    folder = tempfile.mkdtemp(prefix="converted-")
    atexit.register(shutil.rmtree, folder, True)
    return Path(folder)


def program() -> str | None:
    """The LibreOffice program on PATH, or None."""
    return next((found for name in PROGRAMS if (found := shutil.which(name))), None)


def read_office(path: Path, conversions: Conversions | None = None) -> RawDocument:
    """The pages of an office file, read from its PDF conversion. Raises UnreadableFile."""
    path = Path(path)
    if path.stat().st_size == 0:
        raise UnreadableFile(path, "empty file (0 bytes)")
    sha256 = file_hash(path)
    pdf, seconds = (conversions or Conversions()).pdf_for(path, sha256)
    try:
        converted = read_pdf(pdf)
    except UnreadableFile as exc:
        raise UnreadableFile(path, f"its PDF conversion could not be read: {exc.reason}") from exc
    return replace(converted, path=path, sha256=sha256, pdf_path=pdf, convert_seconds=seconds)


def convert_to_pdf(path: Path, out_dir: Path, timeout: float = CONVERT_TIMEOUT) -> Path:
    """Run LibreOffice headless on one file; the PDF it wrote in out_dir. Raises UnreadableFile."""
    soffice = program()
    if soffice is None:
        raise UnreadableFile(path, INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="lo-") as work:
        work = Path(work)
        # A copy under a plain name: LibreOffice names its output after the input, and some names trip it up.
        source = work / f"source{path.suffix.lower()}"
        shutil.copyfile(path, source)
        command = [soffice, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "pdf", "--outdir", str(work / "out"), str(source)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   start_new_session=True, env={**os.environ, "HOME": str(work)})
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            raise UnreadableFile(path, f"conversion to PDF took over {timeout:g} s and was stopped") from None
        made = work / "out" / "source.pdf"
        if process.returncode != 0 or not made.is_file() or made.stat().st_size == 0:
            said = " ".join(output.decode(errors="replace").split())[-200:]
            raise UnreadableFile(path, "LibreOffice could not convert it to PDF"
                                 + (f" ({said})" if said else " (is the file damaged?)"))
        out_dir.mkdir(parents=True, exist_ok=True)
        handle, kept = tempfile.mkstemp(suffix=".pdf", dir=out_dir)
        os.close(handle)
        shutil.move(made, kept)
        return Path(kept)


def _kill(process: subprocess.Popen) -> None:
    """Stop LibreOffice and everything it started (soffice runs soffice.bin as a child)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
