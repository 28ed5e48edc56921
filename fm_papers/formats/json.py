"""The ``json`` format: a JSON array of the entries, every field as the models dump them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..display import json_records

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from ..records import PaperLike

__all__ = ["render_json"]


def render_json(papers: Sequence[PaperLike], catalogue: Catalogue) -> str:
    """A JSON array with one object per paper; every field is present (``null`` when unknown).

    Keeping every key in every object gives notebooks and ``jq`` a fixed set of columns.

    :param papers: the papers, in order.
    :param catalogue: unused; every format takes it.
    """
    data = json_records(papers)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
