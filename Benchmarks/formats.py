"""Ingest speed per format: the same releases written as text, web pages, Markdown, e-mails,
PDFs and Word files, each folder indexed by presse on its own; and peak memory on a folder
holding a 200 MB PDF (one of images, one of text) beside a few releases.

Part of Benchmarks/run.py (`scripts/bench --formats` runs it alone). Corpora are built here:
  OUT/formats/corpus/           `make-corpus --limit 8N` (Debian package descriptions, en/fr/de;
                                8 of one language make a release of ~3 KB)
  OUT/formats/{txt,html,md,eml,pdf,docx}/   the same releases in each format (PDFs written by
                                ReportLab, Word files by python-docx: Debian's python3-reportlab,
                                python3-docx, which scripts/install-deps installs)
  OUT/formats/big-{images,text}/ a 200 MB PDF (an incompressible image beside 40 pages of text;
                                200 MB of uncompressed page text) and the first 20 releases
Figures: wall time of `presse index --jobs 1` into an empty index (one core: formats compare
alike), files/s, MB/s of the files read, MB/s of the text they hold (the .txt versions' bytes:
the same work done, whatever the wrapping), peak RSS (presse and the pdftotext it runs).
"""
import base64, glob, json, os, random, shutil, subprocess, sys, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FORMATS = ["txt", "html", "md", "eml", "pdf", "docx"]
PER_RELEASE = 8  # package descriptions a release


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def releases(corpus, per_release):
    """(name, title, paragraphs): `per_release` package descriptions of one language a release
    (about the size of a real press release, a few KB; one description is ~400 bytes, and
    speed on files that small is per-file cost only), the first one's synopsis its title."""
    out = []
    for language in sorted(os.listdir(corpus)):
        paths = sorted(glob.glob(os.path.join(corpus, language, "*.txt")))
        for start in range(0, len(paths) - per_release + 1, per_release):
            title, paragraphs = None, []
            for i, path in enumerate(paths[start:start + per_release]):
                with open(path, encoding="utf-8") as fh:
                    blocks = [" ".join(b.split()) for b in fh.read().split("\n\n") if b.strip()]
                title = title or blocks[0]
                paragraphs += blocks[1:] if i == 0 else blocks
            out.append((f"{language}-{start // per_release:05d}", title, paragraphs))
    return out


def escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def page(title, paragraphs):
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{escape(title)} | Debian</title></head><body>"
            "<header><nav><a href=\"/\">Home</a> <a href=\"/news/\">News</a> <a href=\"/about/\">About</a></nav></header>"
            f"<main><article><h1>{escape(title)}</h1>\n{body}\n</article></main>"
            "<footer><p>© Debian · <a href=\"/imprint/\">Imprint</a></p></footer></body></html>\n")


def write_formats(items, root):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    import docx

    pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    sheet = getSampleStyleSheet()
    head, body = sheet["Title"], sheet["BodyText"]
    head.fontName = body.fontName = "DejaVu"
    for f in FORMATS:
        os.makedirs(os.path.join(root, f), exist_ok=True)
    for name, title, paragraphs in items:
        def path(f):
            return os.path.join(root, f, f"{name}.{f}")
        text = "\n\n".join([title] + paragraphs) + "\n"
        with open(path("txt"), "w", encoding="utf-8") as fh:
            fh.write(text)
        with open(path("html"), "w", encoding="utf-8") as fh:
            fh.write(page(title, paragraphs))
        with open(path("md"), "w", encoding="utf-8") as fh:
            fh.write("# " + title + "\n\n" + "\n\n".join(paragraphs) + "\n")
        with open(path("eml"), "w", encoding="utf-8") as fh:
            subject = "=?utf-8?B?" + base64.b64encode(title.encode()).decode() + "?="
            payload = base64.encodebytes("\n\n".join(paragraphs).encode()).decode()
            fh.write(f"Subject: {subject}\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
                     f"Content-Transfer-Encoding: base64\n\n{payload}")
        SimpleDocTemplate(path("pdf"), pagesize=A4, title=title).build(
            [Paragraph(escape(title), head)] + [Paragraph(escape(p), body) for p in paragraphs])
        document = docx.Document()
        document.core_properties.title = title
        document.add_paragraph(title, style="Title")
        for p in paragraphs:
            document.add_paragraph(p)
        document.save(path("docx"))


def big_pdf(path, items, megabytes, kind):
    """A PDF of `megabytes`: `images`, 40 pages of text (Flate) and one image of random
    (incompressible) bytes; `text`, pages of uncompressed text until the size is reached."""
    objects = []  # bodies, object i+1

    def add(body):
        objects.append(body)
        return len(objects)

    def stream(data, extra=""):
        return b"<< /Length %d%s >>\nstream\n" % (len(data), extra.encode()) + data + b"\nendstream"

    catalog = add(None)
    pages = add(None)
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    lines = [" ".join(p.split()[:12]) for _, _, ps in items for p in ps] or ["text"]
    lines = [l.encode("cp1252", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") for l in lines]
    kids = []
    rng = random.Random(7)
    image = None
    if kind == "images":
        side = int((megabytes * 2**20 / 3) ** 0.5)
        image = add(stream(rng.randbytes(side * side * 3),
                           f" /Type /XObject /Subtype /Image /Width {side} /Height {side} /ColorSpace /DeviceRGB /BitsPerComponent 8"))
    size, n = 0, 0
    while (kind == "images" and n < 40) or (kind == "text" and size < megabytes * 2**20):
        content = b"BT /F1 9 Tf 40 800 Td 11 TL\n" + b"".join(b"(" + lines[(n * 70 + i) % len(lines)] + b") Tj T*\n" for i in range(70)) + b"ET"
        if image and n == 0:
            content = b"q 500 0 0 500 50 150 cm /Im1 Do Q\n" + content
        if kind == "images":
            body = stream(zlib.compress(content), " /Filter /FlateDecode")
        else:
            body = stream(content)
        size += len(body)
        resources = b"<< /Font << /F1 %d 0 R >>%s >>" % (font, b" /XObject << /Im1 %d 0 R >>" % image if image else b"")
        contents = add(body)
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources %s /Contents %d 0 R >>"
                        % (pages, resources, contents)))
        n += 1
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages
    objects[pages - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    with open(path, "wb") as out:
        out.write(b"%PDF-1.4\n")
        offsets = []
        for i, body in enumerate(objects):
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n" % (i + 1) + body + b"\nendobj\n")
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
        for o in offsets:
            out.write(b"%010d 00000 n \n" % o)
        out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref))


def folder_bytes(folder):
    return sum(os.path.getsize(p) for p in glob.glob(os.path.join(folder, "**", "*"), recursive=True) if os.path.isfile(p))


def bench(a, presse, measure):
    """Builds the corpora (once per size) and measures each folder; returns the results."""
    root = os.path.join(a.out, "formats")
    stamp = os.path.join(root, f"built-{a.formats_size}x{PER_RELEASE}")
    if not os.path.exists(stamp):
        shutil.rmtree(root, ignore_errors=True)
        log(f"== formats: writing {a.formats_size} releases in {len(FORMATS)} formats and two 200 MB PDFs")
        corpus = os.path.join(root, "corpus")
        subprocess.run([os.path.join(HERE, "make-corpus"), corpus, "--limit", str(a.formats_size * PER_RELEASE),
                        "--queries", "10"], check=True, stdout=sys.stderr)
        items = releases(corpus, PER_RELEASE)
        write_formats(items, root)
        for kind in ("images", "text"):
            folder = os.path.join(root, f"big-{kind}")
            os.makedirs(folder)
            big_pdf(os.path.join(folder, "report.pdf"), items, 200, kind)
            for name, _, _ in items[:20]:
                shutil.copy(os.path.join(root, "txt", name + ".txt"), folder)
        open(stamp, "w").close()
    text_bytes = folder_bytes(os.path.join(root, "txt"))
    results = []
    for name in FORMATS + ["big-images", "big-text"]:
        folder = os.path.join(root, name)
        index = os.path.join(a.out, "work-formats", name)
        shutil.rmtree(index, ignore_errors=True)
        os.makedirs(os.path.dirname(index), exist_ok=True)
        log(f"== formats: presse index --jobs 1 {os.path.relpath(folder, a.out)}")
        # Peak RSS from GNU time, a small process that forks presse: os.wait4's figure for a
        # child of this Python counts this process's own peak (Linux keeps the high-water mark
        # of the memory a child replaces at exec), and it held a 200 MB PDF.
        rss = index + ".rss"
        m = measure(["/usr/bin/time", "-f", "%M", "-o", rss, presse, "index", "--jobs", "1", "--index", index, folder],
                    index + ".out", ok=(0, 4))
        with open(rss) as fh:
            m["rss_bytes"] = int(fh.read().split()[-1]) * 1024
        files = len([p for p in glob.glob(os.path.join(folder, "*")) if os.path.isfile(p)])
        size = folder_bytes(folder)
        summary = m["stderr"].splitlines()[0] if m["stderr"] else ""
        results.append({"format": name, "files": files, "mb": size / 2**20, "wall_s": m["wall_s"], "cpu_s": m["cpu_s"],
                        "files_per_s": files / m["wall_s"], "mb_per_s": size / 2**20 / m["wall_s"],
                        "text_mb_per_s": text_bytes / 2**20 / m["wall_s"] if name in FORMATS else None,
                        "rss_mib": m["rss_bytes"] / 2**20, "rc": m["rc"], "summary": summary,
                        "skipped": [l for l in m["stderr"].splitlines() if "skipped" in l and "report.pdf" in l]})
    with open(os.path.join(a.out, "formats.json"), "w") as fh:
        json.dump(results, fh, indent=1)
    return results


def table(results):
    lines = ["### Ingest speed per format", "",
             "The same releases in each format, `presse index --jobs 1` into an empty index; text MB/s counts the "
             "bytes of the .txt versions (the same text, whatever wraps it); RSS includes the pdftotext helper.", "",
             "| folder | files | MB | wall s | files/s | MB/s read | text MB/s | peak RSS MiB |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        text = f"{r['text_mb_per_s']:.2f}" if r["text_mb_per_s"] is not None else "–"
        lines.append(f"| {r['format']} | {r['files']} | {r['mb']:.1f} | {r['wall_s']:.2f} | {r['files_per_s']:.0f} | "
                     f"{r['mb_per_s']:.2f} | {text} | {r['rss_mib']:.0f} |")
    for r in results:
        for line in r["skipped"]:
            lines.append(f"\n{r['format']}: `{line.strip()}`")
    return lines
