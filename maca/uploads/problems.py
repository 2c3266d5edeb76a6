"""The problems found in a refused file: every one counted, only the first few kept to be
listed. A CSV file of 200,000 columns once made an error page of 162 MB; now it lists 20
problems and says how many more there are."""

from collections.abc import Iterable, Iterator

from .limits import PROBLEMS_LISTED


def and_more(count: int) -> str:
    return f"and {count:,} more problem{'s' if count != 1 else ''}"


class Problems[T]:
    """Collects problems like a list; `len` is how many were found, iterating gives the first
    `PROBLEMS_LISTED` of them, and `listed()` those as text and then "and N more problems"."""

    def __init__(self, problems: Iterable[T] = (), *, keep: int = PROBLEMS_LISTED):
        self.keep = keep
        self.first: list[T] = []
        self.count = 0
        self.extend(problems)

    def append(self, problem: T) -> None:
        self.count += 1
        if len(self.first) < self.keep:
            self.first.append(problem)

    def extend(self, problems: Iterable[T]) -> None:
        for problem in problems:
            self.append(problem)

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[T]:
        return iter(self.first)

    def __getitem__(self, index: int) -> T:
        return self.first[index]

    def __eq__(self, other: object) -> bool:
        """Equal to a list holding exactly these problems (all of them kept)."""
        if isinstance(other, Problems):
            return (self.count, self.first) == (other.count, other.first)
        if isinstance(other, list):
            return (self.count, self.first) == (len(other), other)
        return NotImplemented

    # Mutable and compared by value: unhashable, as Python makes any class that defines
    # __eq__ without __hash__.

    def listed(self) -> list[str]:
        more = self.count - len(self.first)
        return [str(problem) for problem in self.first] + ([and_more(more)] if more else [])


def listed(problems) -> list[str]:
    """The problems to show of any collection of them, as text, capped as `Problems` caps."""
    if isinstance(problems, Problems):
        return problems.listed()
    return Problems(problems).listed()


def shown(text: str, limit: int = 60) -> str:
    """A value quoted in a problem, cut short: a 10,000-character cell is named, not repeated."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"
