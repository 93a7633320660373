# Builds the mesh executable (with the web UI); docker-compose.yml runs it as each of Mesh's components.
# Node.js comes from the official image: the .NET build of web/Mesh.Web builds the UI with it.
FROM node:22-bookworm-slim AS node

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund && dotnet publish web/Mesh.Web -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV MESH_DATA_DIR=/data MESH_LISTEN_ADDRESS=0.0.0.0
VOLUME /data
EXPOSE 8080 4317 4318
ENTRYPOINT ["dotnet", "mesh.dll"]
CMD ["up"]
