# The API image: no torch; embeddings come from the `http` or `modal` backend.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /srv/paliapi
# LibreOffice without its GUI turns Office uploads into PDFs (in the worker); Chromium renders
# web pages. Fonts: DejaVu and Liberation (metric-compatible with Arial, Times, Courier).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui \
        fonts-dejavu-core fonts-liberation chromium \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY gpu ./gpu
COPY alembic ./alembic
# The Modal client is light (no torch) and is what EMBEDDINGS_BACKEND=modal calls.
RUN pip install -e '.[modal]'
RUN useradd --create-home paliapi
USER paliapi
EXPOSE 8000
CMD ["paliapi", "serve", "--host", "0.0.0.0", "--port", "8000"]
