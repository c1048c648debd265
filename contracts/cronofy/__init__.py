"""Cronofy contract suite: one test per rule of reference/cronofy.md §8, named by its number."""
