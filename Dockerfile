# Builds the mesh executable; docker-compose.yml runs it for users with a Docker engine.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish web/Mesh.Web -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV MESH_DATA_DIR=/data MESH_LISTEN_ADDRESS=0.0.0.0
VOLUME /data
EXPOSE 8080 4317 4318
ENTRYPOINT ["dotnet", "mesh.dll"]
CMD ["up"]
