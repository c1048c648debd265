"""Cal.com API v2 contract suite (reference/calcom.md §6)."""
