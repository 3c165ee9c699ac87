# The policykg API (see docker-compose.yml, which pairs it with Neo4j 5.26).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# The readers' tools: Tesseract OCR with Simplified Chinese (scans), LibreOffice headless (.doc/.wps/.et).
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-chi-sim \
       libreoffice-writer-nogui libreoffice-calc-nogui fonts-wqy-zenhei \
    && rm -rf /var/lib/apt/lists/*
# Metadata first, package second: the install layer is rebuilt only when they change.
COPY pyproject.toml README* ./
COPY policykg ./policykg
RUN pip install . \
    && useradd --create-home --uid 10001 policykg \
    && mkdir -p /data \
    && chown policykg /data

USER policykg
# The embedded store and the explorer's output, when used, go to a writable directory.
WORKDIR /data
EXPOSE 8000
CMD ["policykg", "serve", "--host", "0.0.0.0", "--port", "8000"]
