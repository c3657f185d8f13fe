# mnist-train for AWS ECS Fargate (linux/amd64), with the native TensorFlow backend.
#
#   docker buildx build --platform linux/amd64 -t mnist-train .
#   docker run --rm mnist-train --epochs 1 --train-samples 6000
#
# The build machine needs internet: @tensorflow/tfjs-node's install script
# downloads libtensorflow and its prebuilt addon. Outside Docker (and in this
# repository's own CI) that optional dependency fails to install and training
# falls back to wasm; in this image its absence is a build error instead.

FROM --platform=linux/amd64 node:20-slim AS build
WORKDIR /app
# Only used if node-pre-gyp finds no prebuilt tfjs-node addon and compiles it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Scripts are skipped so that `prepare` (the TypeScript build) waits for the
# sources; tfjs-node's own install script then runs explicitly, and the build
# fails here unless the native backend really loads.
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild @tensorflow/tfjs-node \
 && node -e "require('@tensorflow/tfjs-node')"
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# the build also bundles the report CLI, with templates/ precompiled into it
COPY scripts ./scripts
COPY templates ./templates
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

FROM --platform=linux/amd64 node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY templates ./templates
# The image's `node` user (uid 1000); nothing under /app needs to be writable.
# --save-model DIR wants a writable DIR, e.g. /tmp/model.
USER node
# ECS sends SIGTERM on stop, then SIGKILL after the task's stopTimeout; the
# trainer finishes its batch and writes run_end "interrupted" in between.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/cli/train.js"]
CMD ["--epochs", "5"]
