# One image for every service; compose and Kubernetes pick the entry point per container.
FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages ./packages
COPY services ./services
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm install --no-save tsx@4
ENV NODE_ENV=production
USER node
# e.g. packages/service-kit/example/main.ts; set per container.
ENV ENTRY=packages/service-kit/example/main.ts
CMD ["sh", "-c", "exec node --import tsx \"$ENTRY\""]
