"""`renkei match "text"`: the best matches for one text, with the reasons they matched."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.markup import escape

from renkei.matching.engine import MatchIndex, MatchIndexError, default_index_dir
from renkei.matching.engine.batch import BatchInputError, read_documents
from renkei.matching.engine.index import MODES


class Command(BaseCommand):
    help = "Print the top matches for a text (Japanese or English) with shared terms and the best passage."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("text", help="what to look for: a need, a seed, a few words")
        parser.add_argument("--docs", help="JSONL documents to search (default: the platform index)")
        parser.add_argument("--index", help="an index directory to search instead of the platform index")
        parser.add_argument("--top", type=int, default=10, help="how many results (default 10)")
        parser.add_argument("--mode", choices=MODES, default="hybrid")

    def handle(self, *args: object, **options: object) -> None:
        text = str(options["text"])
        if not text.strip():
            raise CommandError("the text to match is empty")
        console = Console(highlight=False)
        index = self._index(options, console)
        matches = index.search(text, top=int(options["top"]), mode=str(options["mode"]))  # type: ignore[call-overload]
        if not matches:
            console.print("No matches.")
            return
        for m in matches:
            doc = index.get(m.id)
            assert doc is not None
            lines = [f"[bold]{m.rank}. {escape(doc.title or doc.id)}[/]  [dim]{escape(m.id)} · score {m.score:.4f}"]
            ranks = []
            if m.lexical_rank:
                ranks.append(f"words #{m.lexical_rank}")
            if m.dense_rank:
                ranks.append(f"meaning #{m.dense_rank} (cos {m.dense_score:.2f})")
            lines[0] += f" · {', '.join(ranks)}[/]" if ranks else "[/]"
            e = m.explanation
            if e and e.shared_terms:
                lines.append("   shared terms: " + ", ".join(escape(t) for t in e.labels))
            if e and e.passage:
                how = "closest in meaning" if e.passage_by == "meaning" else "best passage"
                if console.is_terminal:
                    marked = e.passage.marked("\x00", "\x01", escape=escape)
                    marked = marked.replace("\x00", "[reverse]").replace("\x01", "[/reverse]")
                else:  # piped or captured: marks that survive without colour
                    marked = escape(e.passage.marked("【", "】"))
                lines.append(f"   {how}: {marked}")
            console.print("\n".join(lines))

    def _index(self, options: dict[str, object], console: Console) -> MatchIndex:
        if options.get("docs"):
            try:
                docs = read_documents(str(options["docs"]))
            except BatchInputError as exc:
                raise CommandError(str(exc)) from None
            with console.status(f"indexing {len(docs)} documents…"):
                return MatchIndex.build(docs)
        path = options.get("index") or default_index_dir()
        try:
            return MatchIndex.load(str(path), with_journal=True)
        except MatchIndexError as exc:
            raise CommandError(f"{exc}; pass --docs FILE to search a JSONL file instead") from None
