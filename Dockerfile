# The image is built by the same scripts CI runs (scripts/setup.sh), so its steps are exercised on every CI run.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN scripts/setup.sh && dotnet publish service/Service.csproj -c Release -o /app
# Convert the offline backbones at build time so the container starts ready.
RUN dotnet /app/Pipeline.Service.dll backbones prepare --data-root /data

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends openclipart-png && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
COPY --from=build /data /data
ENV Pipeline__DataRoot=/data ASPNETCORE_URLS=http://0.0.0.0:8080
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["dotnet", "/app/Pipeline.Service.dll"]
