"""Processor time and peak memory of checking uploaded files and Kobo exports, one fresh process
per sample (not part of the test suite): `python -m bench.files [--code DIR]`.

Each sample is checked in its own Python process, after `casework` is imported, so that the
figures are the check's alone: processor seconds (this process and its children: the PDF
scanner), resident memory before the check and its peak during the check (VmHWM, reset just
before; or the largest child's). `--code DIR` measures another checkout of the code (the one before
a change), with the same samples.
"""
from __future__ import annotations

import argparse
import io
import json
import subprocess  # nosec B404  # a benchmark that runs Python on its own samples
import sys
import tempfile
import zipfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from casework import create_app
from casework.files import content
from casework.intake import files
from config import TestConfig
kind, path = sys.argv[2], sys.argv[3]
data = open(path, "rb").read()
app = create_app(TestConfig)

def status_kib(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1])

with app.test_request_context():
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # the peak (VmHWM) starts again from now: the check's own
    before_rss = status_kib("VmRSS")
    start = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.perf_counter()
    try:
        if kind == "xlsx":
            outcome = "read %d rows" % len(files.read_submissions(data, "export.xlsx"))
        else:
            outcome = "accepted (%s)" % content.clean(data).content_type
    except Exception as error:
        outcome = "refused: " + str(getattr(error, "message", error))[:90]
    wall = time.perf_counter() - wall
    end = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "outcome": outcome, "wall_s": round(wall, 3),
    "cpu_s": round(end.ru_utime + end.ru_stime - start.ru_utime - start.ru_stime
                   + children.ru_utime + children.ru_stime, 3),
    "rss_before_mib": round(before_rss / 1024, 1),
    "peak_rss_mib": round(max(status_kib("VmHWM"), children.ru_maxrss) / 1024, 1),
}))
"""


def png_7000() -> bytes:
    """A 7000 x 7000 PNG of a few hundred kilobytes: flat colours compress to nothing."""
    image = Image.new("RGB", (7000, 7000), (30, 120, 40))
    image.paste((200, 180, 60), (1000, 1000, 6000, 6000))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def phone_photo() -> bytes:
    """A 12-megapixel JPEG (4000 x 3000) with texture, about the size a phone writes."""
    noise = Image.effect_noise((1000, 750), 40).resize((4000, 3000), Image.BICUBIC)
    gradient = Image.linear_gradient("L").resize((4000, 3000))
    photo = Image.merge("RGB", (noise, gradient, Image.effect_noise((4000, 3000), 12)))
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=92)
    return out.getvalue()


def _member_replaced(member: str, write_member, content_type: str = "") -> bytes:
    """A KoboToolbox-like XLSX whose `member` `write_member(file)` writes (added, with its
    `content_type`, when the workbook had none)."""
    sys.path.insert(0, str(ROOT))
    from tests.intake.samples import as_xlsx, submission

    small = as_xlsx([submission("KLA", "bomb-1")])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(small)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                continue
            if info.filename == "[Content_Types].xml" and content_type:
                data = data.replace(b"</Types>", f'<Override PartName="/{member}" '
                                    f'ContentType="{content_type}"/></Types>'.encode())
            bomb.writestr(info, data)
        with bomb.open(member, "w", force_zip64=True) as out_member:
            write_member(out_member)
    return out.getvalue()


SHEET_START = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
               b'spreadsheetml/2006/main">')


def xlsx_zip_bomb(megabytes: int = 100) -> bytes:
    """An XLSX of a few hundred kilobytes whose sheet inflates to `megabytes` of rows."""
    row = ("<row>" + "".join(f'<c t="inlineStr"><is><t>{"x" * 90}</t></is></c>'
                             for _ in range(10)) + "</row>").encode()

    def write(sheet):
        sheet.write(SHEET_START + b"<sheetData>")
        chunk = row * 1000
        for _ in range(megabytes * 1024 * 1024 // len(chunk)):
            sheet.write(chunk)
        sheet.write(b"</sheetData></worksheet>")
    return _member_replaced("xl/worksheets/sheet1.xml", write)


def xlsx_strings_bomb(megabytes: int = 100) -> bytes:
    """An XLSX of a few hundred kilobytes whose table of shared strings inflates to
    `megabytes`: openpyxl keeps that table in memory, whatever the sheet reads of it."""
    def write(strings):
        strings.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                      b'spreadsheetml/2006/main">')
        chunk = b"<si><t>" + b"x" * 20 + b"</t></si>"
        block = chunk * 10_000
        for _ in range(megabytes * 1024 * 1024 // len(block)):
            strings.write(block)
        strings.write(b"</sst>")
    return _member_replaced("xl/sharedStrings.xml", write, "application/vnd.openxmlformats-"
                            "officedocument.spreadsheetml.sharedStrings+xml")


SAMPLES = {"png-7000x7000": ("image", png_7000), "phone-photo-12mp": ("image", phone_photo),
           "xlsx-zip-bomb": ("xlsx", xlsx_zip_bomb),
           "xlsx-strings-bomb": ("xlsx", xlsx_strings_bomb)}
TIMEOUT_SECONDS = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", default=str(ROOT), help="the checkout to measure")
    parser.add_argument("samples", nargs="*", default=list(SAMPLES), help="which samples")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for name in args.samples:
            kind, build = SAMPLES[name]
            path = Path(folder) / name
            path.write_bytes(build())
            print(json.dumps({"sample": name, "bytes": path.stat().st_size,
                              **measure(args.code, kind, path)}), flush=True)


def measure(code: str, kind: str, path: Path) -> dict:
    try:
        run = subprocess.run([sys.executable, "-c", CHILD, code, kind, str(path)],  # nosec B603  # our own samples
                             capture_output=True, text=True, check=False, cwd=code,
                             timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return {"error": f"still running after {TIMEOUT_SECONDS} s, stopped"}
    return json.loads(run.stdout) if run.returncode == 0 else {"error": run.stderr[-300:]}


if __name__ == "__main__":
    main()
