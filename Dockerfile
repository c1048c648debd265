# calendar-mockserver: every provider's fake on one port, as a container.
#   docker build -t calendar-mockserver .
#   docker run --rm -p 8765:8765 calendar-mockserver
# Options come from MOCKSERVER_* environment variables (docker run -e MOCKSERVER_LATENCY=0.2).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md ./
COPY mockserver ./mockserver
COPY contracts ./contracts
COPY fixtures/demo.json ./fixtures/demo.json
RUN pip install . \
    && rm -rf /src \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin mockserver

USER mockserver
WORKDIR /home/mockserver
ENV MOCKSERVER_PORT=8765
EXPOSE 8765

HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; url = 'http://127.0.0.1:%s/_mock/health' % os.environ.get('MOCKSERVER_PORT', '8765'); sys.exit(0 if urllib.request.urlopen(url, timeout=2).status == 200 else 1)"]

CMD ["mockserver", "serve", "--host", "0.0.0.0"]
