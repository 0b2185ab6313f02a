"""Which comment explains a unit: its own, else the nearest ancestor's that covers it.

A report often comments a förvaltning's deviation once, for all its verksamheter ("Vuxen-
utbildningen prognostiseras redovisa ett underskott på −5,6 mnkr …" under Utbildningsförvaltningen,
nothing under 470 Grundläggande vuxenutb). A unit without a comment of its own is covered by its
nearest ancestor's comment on the economy (sections `utfall` and `prognos`), shown labelled as
that ancestor's, beside the deviation it explains. Pure pandas, no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import formatting as fmt

EXPLAINING = ("utfall", "prognos")  # the sections that explain an economic deviation


@dataclass(frozen=True)
class Explanation:
    unit_id: int  # whose comments these are
    unit_name: str
    own: bool  # the unit's own comments (False: an ancestor's that covers it)
    comments: pd.DataFrame  # rows of queries.commentary, in report order

    def label(self) -> str:
        """'Kommentar för Utbildningsförvaltningen (vuxenutbildning)' (an ancestor's), '' (own)."""
        return "" if self.own else f"Kommentar för {self.unit_name}"


def explanation(units: pd.DataFrame, comments: pd.DataFrame, unit_id: int,
                sections: tuple[str, ...] = EXPLAINING) -> Explanation | None:
    """The unit's own comments (any section), else the nearest ancestor's comments in `sections`,
    else None. `units` as queries.units (unit_id, name, parent_id)."""
    if comments is None or comments.empty:
        return None
    # each unit's position (the last row of a unit id, as a dict of rows kept it) and its name and
    # parent as lists: a named tuple per unit of the round was ~4 ms per run at full scale
    names, parents = units["name"].tolist(), units["parent_id"].tolist()
    at = {int(u): i for i, u in enumerate(units["unit_id"].tolist())}
    own = comments[comments["unit_id"] == unit_id]
    node = at.get(int(unit_id))
    if len(own) and node is not None:
        return Explanation(int(unit_id), names[node], True, own)
    seen = {int(unit_id)}
    while node is not None and not fmt.is_missing(parents[node]):
        parent_id = int(parents[node])
        if parent_id in seen:  # a cycle would be an import error; never loop on it
            break
        seen.add(parent_id)
        node = at.get(parent_id)
        if node is None:
            break
        mine = comments[(comments["unit_id"] == parent_id) & comments["section"].isin(sections)]
        if len(mine):
            return Explanation(parent_id, names[node], False, mine)
    return None
