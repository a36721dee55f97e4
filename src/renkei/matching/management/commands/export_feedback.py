"""`renkei export_feedback`: coordinators' verdicts as relevance judgements, for evaluating the
ranking with `renkei match-batch` on the platform's own needs.

Writes TREC qrels (`need-<pk> 0 <doc id> <grade>`: introduced 2, useful 1, not useful 0; seeds
as `seed-<pk>`, organisations as `org-<pk>`) and, with --queries, the judged needs as JSON lines
`{"id", "lang", "text"}`. Where several coordinators judged one suggestion, the highest grade wins.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from renkei.matching.choices import TargetKind, Verdict
from renkei.matching.models import Feedback, Need
from renkei.matching.search import need_text

GRADES = {Verdict.INTRODUCED: 2, Verdict.USEFUL: 1, Verdict.NOT_USEFUL: 0}
PREFIX = {TargetKind.SEED: "seed", TargetKind.ORGANISATION: "org"}


class Command(BaseCommand):
    help = "Export coordinators' feedback on suggestions as TREC qrels (and the judged needs as queries)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--out", required=True, help="qrels file to write")
        parser.add_argument("--queries", help="also write the judged needs as JSON lines")

    def handle(self, *args, **options) -> None:
        grades: dict[tuple[str, str], int] = {}
        for need_id, kind, target_id, verdict in Feedback.objects.values_list(
            "need_id", "target_kind", "target_id", "verdict"
        ):
            if kind not in PREFIX:
                continue  # researchers are not documents of the index
            key = (f"need-{need_id}", f"{PREFIX[kind]}-{target_id}")
            grades[key] = max(grades.get(key, 0), GRADES[verdict])
        lines = [f"{qid} 0 {doc} {grade}\n" for (qid, doc), grade in sorted(grades.items())]
        Path(options["out"]).write_text("".join(lines), encoding="utf-8")
        if options["queries"]:
            need_ids = sorted({int(qid.split("-")[1]) for qid, _ in grades})
            with Path(options["queries"]).open("w", encoding="utf-8") as out:
                for need in Need.objects.filter(pk__in=need_ids).order_by("pk"):
                    row = {"id": f"need-{need.pk}", "lang": need.lang, "text": need_text(need)}
                    out.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.stdout.write(f"Wrote {len(lines)} judgements for {len({q for q, _ in grades})} needs to {options['out']}")
