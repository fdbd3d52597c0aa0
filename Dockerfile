# openpiu: one image for every role of the production layout (compose.yml):
# the analyst application (piu serve), workers (piu worker) and AMQP intake
# (piu intake amqp).  No secret is baked in: the database and broker URLs come
# from the environment at run time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install . && useradd --system --uid 10001 piu
USER piu
# The app listens on all interfaces inside the container; put a TLS proxy in front.
ENV PIU_WEB_HOST=0.0.0.0 PIU_WEB_PORT=8000
EXPOSE 8000
CMD ["piu", "serve"]
