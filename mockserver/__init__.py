"""calendar-mockserver: stateful fakes of the Cronofy, Cal.com v2 and Truto calendar APIs."""

__version__ = "0.1.0"
