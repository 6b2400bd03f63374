# The image compose.yaml runs: example-service and the migrations operator tool.
FROM swift:6.2-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libhiredis-dev libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN swift build -c release --product example-service \
    && swift build -c release --product migrations \
    && mkdir /out \
    && bin=$(swift build -c release --show-bin-path) \
    && cp "$bin/example-service" "$bin/migrations" /out/ \
    && cp -R "$bin"/*.resources /out/

FROM swift:6.2-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libhiredis0.14 libsqlite3-0 curl \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/ /app/
ENV PATH=/app:$PATH
WORKDIR /data
ENTRYPOINT ["example-service"]
