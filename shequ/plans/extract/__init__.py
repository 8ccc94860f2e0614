"""From a plan's text to draft targets: structure, sentences, measurable requirements, responsibility.

Pure Python, no database: :func:`pipeline.extract` takes the text of a plan (as pasted, or as read from a file by
:func:`reading.read_document`) and gives a :class:`Draft`, every target tied to the sentence it came from.
"""
