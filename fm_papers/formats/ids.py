"""The ``ids`` format: one paper id per line, for shell pipelines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from ..records import PaperLike


__all__ = ["render_ids"]


def render_ids(papers: Sequence[PaperLike], catalogue: Catalogue) -> str:
    """Each id on its own line, in the given order.

    :param papers: the papers to list.
    :param catalogue: unused; every format takes it.
    """
    return "".join(f"{paper.id}\n" for paper in papers)
