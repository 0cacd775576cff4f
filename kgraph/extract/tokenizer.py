"""The tokenizer: spaCy's English rules, plus two splits that paper abstracts need.

- A sentence-final period after a model size or version that ends in a capital
  ("LLaMA3-70B.", "Human3.6M.") is its own token, as it is after other words.
- A tilde, LaTeX's non-breaking space, splits ("models~(LLMs)" -> "models", "~(",
  "LLMs", ")"; "Llama~2" -> "Llama", "~", "2").

It also leaves out spaCy's special cases for a newline, a tab and a space, which only
say that the character is a token of its own, as it is without them. spaCy stops
caching a text's words once any special case has matched in it (explosion/spaCy#13950),
and the newline after every title was one: the abstract after it went through the
prefix, suffix and infix rules word by word. The tokens are the same either way.

The shipped model's config names it (``kgraph.Tokenizer.v1``), so importing
:mod:`kgraph.extract` registers it before the model loads.

Examples
--------
>>> import spacy
>>> nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "kgraph.Tokenizer.v1"}}})
>>> [t.text for t in nlp("We scale LLaMA3-70B. It uses models~(LLMs).")]
['We', 'scale', 'LLaMA3', '-', '70B', '.', 'It', 'uses', 'models', '~(', 'LLMs', ')', '.']
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_suffix_regex, registry

SUFFIXES = (r"(?<=[0-9][A-Z])\.",)
INFIXES = (r"~\(?",)


def restates_whitespace(text: str, tokens: list[dict]) -> bool:
    """Whether a special case only makes a whitespace character the token it is anyway."""
    return text.isspace() and tokens == [{ORTH: text}]


def without_whitespace_cases(rules: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The special cases, less those :func:`restates_whitespace` finds."""
    return {k: v for k, v in rules.items() if not restates_whitespace(k, v)}


@registry.tokenizers("kgraph.Tokenizer.v1")
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    """spaCy's tokenizer for the language, with kgraph's extra suffix and infix rules."""
    spacy_tokenizer = registry.tokenizers.get("spacy.Tokenizer.v1")()

    def make(nlp: Language) -> Tokenizer:
        tokenizer = spacy_tokenizer(nlp)
        d = nlp.Defaults
        tokenizer.suffix_search = compile_suffix_regex([*d.suffixes, *SUFFIXES]).search
        tokenizer.infix_finditer = compile_infix_regex([*d.infixes, *INFIXES]).finditer
        tokenizer.rules = without_whitespace_cases(tokenizer.rules)
        return tokenizer

    return make
