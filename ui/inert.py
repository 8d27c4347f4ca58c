"""Text from a file, a pasted document or a person, made inert inside a message
that Streamlit renders as markdown (st.info, st.warning, st.caption, ...): every
character markdown gives a meaning to is escaped, so a name like
``[Kirjaudu](https://evil.example)`` is shown as it is, never as a link."""

from __future__ import annotations

import re

# "@" and "/" too: an e-mail or web address would otherwise become a link.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:@/])")


def inert(value) -> str:
    return _MARKDOWN.sub(r"\\\1", str(value))
