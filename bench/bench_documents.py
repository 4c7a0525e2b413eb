"""Documents: the time per document of the portal's pipeline against a bare WeasyPrint
render of the same HTML, and a 200-page dossier.

- per document (achievement report, submission letter with a 40-name list): the portal's
  path (read the data, build the paper, render the template, NFC, the local-only fetcher,
  hash the content, write the file whole and its row) against ``weasyprint.HTML(string=
  the same HTML).write_pdf()`` with the same static resources; the fastest of 7 runs
  taken in turn, each portal run on new
  content so the store really renders (goal: at most 1.3x);
- a dossier of about 200 pages (the papers and a 190-page evidence PDF): the merge with
  bookmarks, then the same dossier asked again (found by its content key);
- dossiers per minute with 1 and 2 real Celery workers (prefork, one child each) on the
  bench database and Redis (``BENCH_BROKER_URL``, default db 11): a fresh letter of
  nominations each (report, letter and a 5-page evidence PDF), their ``render_dossier``
  tasks sent at once to a private queue, timed until the last dossier is stored. Skipped
  (with a note) when Redis does not answer.

Data (unit ``BD_...``, people, a letter, nominations) are created fresh on each run.
"""

import contextlib
import hashlib
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from django.core.files.base import ContentFile

from bench import BenchContext, Row


def _world(n_people: int):
    from awards.models import AwardType, Batch, Nomination, NominationLevel
    from units import services as unit_services

    tag = uuid.uuid4().hex[:6].upper()
    unit = unit_services.create_unit(None, code=f"BD_{tag}", name="Cục Bảo vệ thực vật", kind="VU")
    award = AwardType.objects.get(code="BK_BO")
    batch = Batch.objects.create(
        proposing_unit=unit,
        year=2025,
        award_type=award,
        number="15/TTr-BVTV",
        title="Về việc đề nghị tặng Bằng khen của Bộ trưởng năm 2025",
    )
    noms = []
    for i in range(n_people):
        p = unit_services.create_person(
            None,
            code=f"BD_{tag}_{i:03d}",
            full_name=f"Nguyễn Thị Ánh Tuyết {i}",
            gender="F",
            unit=unit,
        )
        noms.append(
            Nomination.objects.create(
                person=p,
                award_type=award,
                year=2025,
                proposing_unit=unit,
                level=NominationLevel.MINISTRY,
                state="approved",
                batch=batch,
                background="Tốt nghiệp Đại học Nông nghiệp năm 2002; vào ngành năm 2003.",
                achievements="\n".join(
                    f"Hoàn thành xuất sắc nhiệm vụ thứ {k}: chủ trì xây dựng quy trình kiểm dịch "
                    "thực vật, rút ngắn thời gian thông quan, được đơn vị ghi nhận."
                    for k in range(25)
                ),
            )
        )
    return batch, noms


def _bare(html: str) -> bytes:
    from weasyprint import HTML

    from emulation_portal import pdf

    base_url = pdf.STATIC_DIRS[0].as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=pdf._fetcher()).write_pdf()


def _compare(name: str, ensure, html_of, repeat: int) -> list[Row]:
    """``ensure(salt)`` runs the portal's path on content changed by ``salt``. The two are
    timed in turn, ``repeat`` times each, and the fastest of each kept: on a shared
    machine the noise is larger than the difference measured."""
    portal = bare = float("inf")
    for _ in range(repeat):
        salt = uuid.uuid4().hex[:8]  # new content: the store must render
        start = time.perf_counter()
        ensure(salt)
        portal = min(portal, time.perf_counter() - start)
        html = html_of()
        start = time.perf_counter()
        _bare(html)
        bare = min(bare, time.perf_counter() - start)
    return [
        Row(f"{name}: portal pipeline", portal * 1000, "ms"),
        Row(f"{name}: bare WeasyPrint, same HTML", bare * 1000, "ms"),
        Row(f"{name}: ratio", portal / bare, "x", "goal <= 1.3"),
    ]


def run(ctx: BenchContext) -> list[Row]:
    from awards.dossiers.services import dossier, papers
    from awards.models import Attachment, Nomination
    from emulation_portal import pdf

    repeat = 3 if ctx.quick else 7
    batch, noms = _world(10 if ctx.quick else 40)
    n = noms[0]

    def report(salt):
        Nomination.objects.filter(pk=n.pk).update(rewards_received=f"Giấy khen năm {salt}.")
        n.refresh_from_db()
        dossier.ensure_report(n)

    def letter(salt):
        type(batch).objects.filter(pk=batch.pk).update(number=f"{salt[:4]}/TTr-BVTV")
        batch.refresh_from_db()
        dossier.ensure_letter(batch)

    rows = _compare(
        "achievement report", report, lambda: papers.paper_html(papers.report_paper(n)), repeat
    )
    rows += _compare(
        f"submission letter, list of {len(noms)}",
        letter,
        lambda: papers.paper_html(papers.letter_paper(batch)),
        repeat,
    )

    pages = 40 if ctx.quick else 190
    body = "".join(
        f'<p style="page-break-after: always">Minh chứng trang {i}: biên bản, ảnh chụp.</p>'
        for i in range(pages)
    )
    evidence = pdf.render_html_to_pdf(f"<html><body>{body}</body></html>")
    att = Attachment(
        nomination=n,
        kind="evidence",
        original_name="Minh chứng.pdf",
        content_type="application/pdf",
        size=len(evidence),
        sha256=hashlib.sha256(evidence).hexdigest(),
    )
    att.file.save("upload.pdf", ContentFile(evidence), save=False)
    att.save()
    with ctx.timer() as t:
        doc = dossier.ensure_dossier(n.pk)
    from pypdf import PdfReader

    total = len(PdfReader(doc.file.open("rb")).pages)
    rows.append(Row(f"dossier of {total} pages: merge (papers stored)", t["seconds"], "s"))
    with ctx.timer() as t:
        again = dossier.ensure_dossier(n.pk)
    assert again.pk == doc.pk
    rows.append(Row("the same dossier asked again (content key)", t["seconds"] * 1000, "ms"))
    return rows + run_workers(ctx)


BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/11")
ROOT = Path(__file__).resolve().parent.parent


def _start_worker(queue: str, name: str, log) -> subprocess.Popen:
    from django.conf import settings

    env = {
        **os.environ,  # DATABASE_URL: the bench database, set by ``python -m bench``
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "PORTAL_PDF_QUEUE": queue,
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "emulation_portal", "worker"]
        + ["--pool=prefork", "-c", "1", "-Q", queue, "-n", f"{name}@%h"]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _with_evidence(noms, evidence: bytes) -> None:
    from awards.models import Attachment

    for n in noms:
        att = Attachment(
            nomination=n,
            kind="evidence",
            original_name="Minh chứng.pdf",
            content_type="application/pdf",
            size=len(evidence),
            sha256=hashlib.sha256(evidence).hexdigest(),
        )
        att.file.save("upload.pdf", ContentFile(evidence), save=False)
        att.save()


def _per_minute(workers: int, count: int, evidence: bytes) -> float:
    """Dossiers per minute of ``workers`` worker processes rendering ``count`` new
    dossiers sent at once (new content: nothing found in the store); the workers are up
    and have rendered ``2 x workers`` warm-up dossiers before the clock starts, and are
    stopped after."""
    from celery import Celery

    from awards.models import Batch, DecisionDocument, DocumentKind, Nomination

    queue = f"bench-{uuid.uuid4().hex[:8]}"
    warm, noms = [], []
    for group, size in ((warm, 2 * workers), (noms, count)):
        batch, made = _world(size)
        # the store finds a document by its content: every run's papers must be new
        Batch.objects.filter(pk=batch.pk).update(number=f"{queue[-4:]}/TTr-BVTV")
        for n in made:
            Nomination.objects.filter(pk=n.pk).update(
                background=f"Tốt nghiệp Đại học Nông nghiệp năm 2002 ({queue}, {n.pk})."
            )
        _with_evidence(made, evidence)
        group.extend(made)
    procs = []
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        logs = [Path(tmp) / f"worker-{i}.log" for i in range(workers)]
        try:
            for i, path in enumerate(logs):
                log = stack.enter_context(open(path, "w"))
                procs.append(_start_worker(queue, f"{queue}-{i}", log))
            deadline = time.monotonic() + 90
            while not all("ready" in path.read_text() for path in logs):
                if time.monotonic() > deadline:
                    raise RuntimeError(logs[0].read_text()[-2000:])
                time.sleep(0.2)
            sender = Celery(broker=BROKER)
            # warm-up: a few dossiers first, so each child has loaded WeasyPrint and fonts
            warm_ids = [n.pk for n in warm]
            for pk in warm_ids:
                sender.send_task("dossiers.render_dossier", args=[pk], queue=queue)
            warm_done = DecisionDocument.objects.filter(
                kind=DocumentKind.DOSSIER, nomination_id__in=warm_ids
            )
            while warm_done.count() < len(warm_ids):
                if time.monotonic() > deadline + 120:
                    raise RuntimeError(logs[0].read_text()[-2000:])
                time.sleep(0.1)
            ids = [n.pk for n in noms]
            stored = DecisionDocument.objects.filter(
                kind=DocumentKind.DOSSIER, nomination_id__in=ids
            )
            start = time.perf_counter()
            for pk in ids:
                sender.send_task("dossiers.render_dossier", args=[pk], queue=queue)
            deadline = time.monotonic() + 60 * 10
            while stored.count() < count:
                if time.monotonic() > deadline:
                    raise RuntimeError(logs[0].read_text()[-2000:])
                time.sleep(0.05)
            seconds = time.perf_counter() - start
            sender.close()
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
    return count / seconds * 60


def run_workers(ctx: BenchContext) -> list[Row]:
    import redis

    from emulation_portal import pdf

    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return [Row("dossiers per minute: skipped, no Redis at " + BROKER, 0, "")]
    body = "".join(
        f'<p style="page-break-after: always">Minh chứng trang {i}.</p>' for i in range(5)
    )
    evidence = pdf.render_html_to_pdf(f"<html><body>{body}</body></html>")
    count = 6 if ctx.quick else 24
    rows = []
    for workers in (1, 2):
        rate = _per_minute(workers, count, evidence)
        rows.append(
            Row(f"dossiers per minute, {workers} worker(s), {count} dossiers", rate, "/min")
        )
    return rows
