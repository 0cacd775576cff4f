"""Extract: a spaCy pipeline of kgraph's own components finds the entities of each paper.

Importing this package registers the components (``kgraph_sentences``,
``kgraph_abbreviations``, ``kgraph_lexicon``, ``kgraph_candidates``,
``kgraph_entities``); :func:`~kgraph.extract.pipeline.load_pipeline` builds the
pipeline, with the shipped recogniser where there is one, and
:func:`~kgraph.extract.pipeline.extract_papers` runs it over papers.
"""

from kgraph.extract import (  # noqa: F401  (registers)
    abbreviations,
    candidates,
    lexicon,
    sentences,
    tagger,
    tokenizer,
)
