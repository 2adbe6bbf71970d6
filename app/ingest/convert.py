"""Documents made into PDFs before rendering: Office files by LibreOffice, Markdown by PyMuPDF.

LibreOffice runs once per document as a subprocess (`soffice --convert-to pdf`), confined as
far as the machine allows: a fresh profile that disables macros and never updates links, a
wall-clock timeout after which its whole process group is killed, limits on its address
space and on the size of any file it writes, an environment without the service's secrets,
proxies that lead nowhere, and no network at all where `unshare -n` works (root, or user
namespaces). Everything it writes lives in a directory the caller deletes.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pymupdf
from markdown_it import MarkdownIt

from app.errors import ErrorCode, PaliError
from app.ingest.errors import BadDocument
from app.ingest.formats import DOC, DOCX, NAMES, ODP, ODS, ODT, PPT, PPTX, RTF, XLS, XLSX

LIBREOFFICE_PACKAGES = (
    "libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui fonts-dejavu-core"
)
# LibreOffice picks its import filter from the content, helped by the file name's extension.
EXTENSIONS = {
    DOCX: "docx",
    DOC: "doc",
    XLSX: "xlsx",
    XLS: "xls",
    PPTX: "pptx",
    PPT: "ppt",
    ODT: "odt",
    ODS: "ods",
    ODP: "odp",
    RTF: "rtf",
}
A4 = pymupdf.paper_rect("a4")
MARGIN = 54  # points: three quarters of an inch
TEXT_AREA = pymupdf.Rect(MARGIN, MARGIN, A4.width - MARGIN, A4.height - MARGIN)


@dataclass(frozen=True)
class ConvertOptions:
    soffice: str = "soffice"  # the program, by name (looked up on PATH) or path
    timeout_s: float = 120.0  # per conversion
    memory_mb: int = 2048  # LibreOffice's address space
    max_unzipped_mb: float = 1024.0  # a ZIP-based document's members, inflated, in all

    @property
    def max_unzipped_bytes(self) -> int:
        return int(self.max_unzipped_mb * 1024 * 1024)


def kind(media_type: str) -> str:
    """What a message calls a file of this type ("Word", "EPUB")."""
    return NAMES.get(media_type, media_type)


def require_libreoffice(options: ConvertOptions, media_type: str) -> str:
    """The path of `soffice`, or UNSUPPORTED_MEDIA_TYPE saying what to install."""
    found = shutil.which(options.soffice)
    if found is None:
        raise PaliError(
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            f"{kind(media_type)} files are converted to PDF with LibreOffice, which is not "
            f"installed on this server: install it (`apt-get install {LIBREOFFICE_PACKAGES}`) "
            "or set PALIAPI_SOFFICE to its `soffice` program; or upload a PDF export.",
        )
    return found


# Written into each fresh profile: no macros at all, never update links (Writer and Calc
# number "never" differently), refuse resources linked from the document, and send any
# network request to a proxy on the discard port.
_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
{items}
</oor:items>
"""
_SETTINGS = (
    ("org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("org.openoffice.Office.Writer/Content/Update", "Link", "0"),
    ("org.openoffice.Office.Calc/Content/Update", "Link", "1"),
    ("org.openoffice.Inet/Settings", "ooInetProxyType", "1"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPProxyName", "127.0.0.1"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPProxyPort", "9"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPSProxyName", "127.0.0.1"),
    ("org.openoffice.Inet/Settings", "ooInetHTTPSProxyPort", "9"),
    ("org.openoffice.Inet/Settings", "ooInetFTPProxyName", "127.0.0.1"),
    ("org.openoffice.Inet/Settings", "ooInetFTPProxyPort", "9"),
    ("org.openoffice.Inet/Settings", "ooInetNoProxy", ""),
)
PROFILE_SETTINGS = _REGISTRY.format(
    items="\n".join(
        f'<item oor:path="/{path}"><prop oor:name="{name}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>"
        for path, name, value in _SETTINGS
    )
)
_NOWHERE = "http://127.0.0.1:9"
MAX_FILE_BYTES = 2 * 1024**3  # any one file LibreOffice writes (its PDF, its temporary files)
# Runs in the child before LibreOffice: its limits, then exec (no preexec_fn in a threaded
# parent).
_LIMITS = (
    "import os, resource, sys\n"
    "memory, size = int(sys.argv[1]), int(sys.argv[2])\n"
    "resource.setrlimit(resource.RLIMIT_AS, (memory, memory))\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))\n"
    "resource.setrlimit(resource.RLIMIT_CORE, (0, 0))\n"
    "os.execvp(sys.argv[3], sys.argv[3:])\n"
)


@functools.cache
def network_isolation() -> tuple[str, ...]:
    """The prefix that runs a command without network (`unshare -n`), or () where none works."""
    unshare = shutil.which("unshare") or "unshare"  # missing: each probe fails with OSError
    for flags in (("--net",), ("--map-root-user", "--net")):
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            probe = subprocess.run(  # noqa: S603 - fixed arguments
                [unshare, *flags, "true"], capture_output=True, timeout=10, check=False
            )
            if probe.returncode == 0:
                return (unshare, *flags, "--")
    return ()


def _prepare(workdir: Path, source: Path, extension: str) -> tuple[Path, Path]:
    """A fresh profile, a temporary directory, and the document under a name LibreOffice reads."""
    profile = workdir / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, "utf-8")
    (workdir / "tmp").mkdir()
    document = workdir / f"document.{extension}"
    document.symlink_to(source.resolve())
    return profile, document


async def libreoffice_to_pdf(
    source: Path, media_type: str, workdir: Path, options: ConvertOptions
) -> Path:
    """`source` as a PDF in `workdir` (which the caller deletes), or BadDocument saying why."""
    soffice = require_libreoffice(options, media_type)
    extension, what = EXTENSIONS[media_type], kind(media_type)
    profile, document = await asyncio.to_thread(_prepare, workdir, source, extension)
    out = workdir / "out"
    limit = options.memory_mb * 1024 * 1024
    command = [
        *await asyncio.to_thread(network_isolation),
        sys.executable,
        "-I",
        "-S",
        "-c",
        _LIMITS,
        str(limit),
        str(MAX_FILE_BYTES),
        soffice,
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--nologo",
        "--nodefault",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        str(document),
    ]
    environment = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "HOME": str(workdir),
        "TMPDIR": str(workdir / "tmp"),
        "LANG": "C.UTF-8",
        "SAL_USE_VCLPLUGIN": "svp",
        **{
            name: _NOWHERE
            for name in ("http_proxy", "https_proxy", "ftp_proxy", "all_proxy")
            for name in (name, name.upper())
        },
    }
    process = await asyncio.create_subprocess_exec(
        *command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=environment,
        cwd=workdir,
        start_new_session=True,  # its own process group: killed as one
    )
    try:
        output, _ = await asyncio.wait_for(process.communicate(), options.timeout_s)
    except TimeoutError:
        raise BadDocument(
            f"Converting the {what} file to PDF took longer than {options.timeout_s:g} s "
            "(PALIAPI_CONVERT_TIMEOUT_S); it is too large or too complex. Split it, or "
            "upload a PDF export."
        ) from None
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        if process.returncode is None:
            await process.wait()
    pdf = out / "document.pdf"
    if process.returncode == 0 and pdf.is_file() and pdf.stat().st_size > 0:
        return pdf
    said = [line for line in output.decode("utf-8", "replace").splitlines() if line.strip()]
    errors = [line for line in said if "error" in line.lower()]  # not its javaldx warning
    detail = (errors or said or [f"exit status {process.returncode}"])[-1][:300]
    raise BadDocument(
        f"LibreOffice could not convert the {what} file to PDF ({detail}): it may be corrupt "
        f"or password-protected, or need more memory than PALIAPI_CONVERT_MEMORY_MB "
        f"({options.memory_mb} MiB)."
    )


_CSS = """
body { font-family: sans-serif; font-size: 11pt; line-height: 1.35; }
h1 { font-size: 20pt; } h2 { font-size: 16pt; } h3 { font-size: 13pt; }
pre, code { font-family: monospace; font-size: 9.5pt; }
pre { background-color: #f4f4f4; }
blockquote { color: #555; margin-left: 12pt; }
th, td { border: 0.5pt solid #999; padding: 2pt 4pt; }
"""


def markdown_pdf(text: str) -> bytes:
    """Markdown laid out on A4 pages (runs in a rendering process).

    CommonMark with tables, rendered to HTML and laid out by PyMuPDF's Story. Raw HTML is
    shown as text and images are not loaded (nothing is fetched); single line breaks are
    kept, so a plain text taken for Markdown keeps its lines.
    """
    parser = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("table")
    parser.disable("image")
    story = pymupdf.Story(html=parser.render(text), user_css=_CSS)
    sink = io.BytesIO()
    writer = pymupdf.DocumentWriter(sink)
    more = True
    while more:
        device = writer.begin_page(A4)
        more, _ = story.place(TEXT_AREA)
        story.draw(device)
        writer.end_page()
    writer.close()
    return sink.getvalue()
