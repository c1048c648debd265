"""The provider-neutral calendar world that every dialect reads and writes."""
