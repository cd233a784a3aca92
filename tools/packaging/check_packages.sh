#!/usr/bin/env bash
# Checks the NuGet packages as a user gets them. Packs the library (Convolve) and the tool
# (Convolve.Cli) into a temporary folder; then, with that folder as the only NuGet source and an
# empty package cache: installs the tool into a temporary tool path and runs it (help, a one-epoch
# training on the bundled sample, export to ONNX, import back, eval), and builds a fresh console
# project that references the library package and runs the library snippet of README.md (which
# must be the same as the package's own README's).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
packages="$work/packages"

snippet() { awk -v start="$2" '$0 ~ start { on = 1; next } on && /^```csharp/ { code = 1; next } code && /^```/ { exit } code' "$1"; }
snippet README.md '^## Using the library' > "$work/readme-snippet.cs"
snippet docs/packages/Convolve.md '^The snippet trains' > "$work/package-snippet.cs"
[ -s "$work/readme-snippet.cs" ] || { echo "README.md has no library snippet under '## Using the library'"; exit 1; }
diff "$work/readme-snippet.cs" "$work/package-snippet.cs" || { echo "README.md and docs/packages/Convolve.md show different library snippets"; exit 1; }

dotnet pack Convolve.slnx -c Release -o "$packages" -v quiet -nologo
version=$(sed -n 's|.*<VersionPrefix>\(.*\)</VersionPrefix>.*|\1|p' Directory.Build.props)
for package in "$packages"/*.nupkg "$packages"/*.snupkg; do
  echo "$(basename "$package"): $(stat -c %s "$package") bytes"
done
cat > "$work/nuget.config" << XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="packed" value="$packages" />
  </packageSources>
</configuration>
XML
export NUGET_PACKAGES="$work/cache"

echo "== the tool, installed into a temporary tool path"
dotnet tool install Convolve.Cli --version "$version" --tool-path "$work/tools" --configfile "$work/nuget.config"
convolve="$work/tools/convolve"
"$convolve" --help | head -n 2
(cd "$work" && "$convolve" train --model lenet5 --epochs 1 --limit 500 --output run | tail -n 1)
"$convolve" export "$work/run/best.safetensors" --format onnx -o "$work/run/model.onnx"
"$convolve" import "$work/run/model.onnx" -o "$work/run/imported.safetensors"
"$convolve" eval "$work/run/imported.safetensors" | sed -n 2p

echo "== a fresh console project referencing the library package, running README.md's snippet"
mkdir "$work/app"
cp "$work/nuget.config" "$work/app/"
cat > "$work/app/app.csproj" << XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Convolve" Version="$version" />
  </ItemGroup>
</Project>
XML
cp "$work/readme-snippet.cs" "$work/app/Program.cs"
(cd "$work/app" && dotnet run -c Release -v quiet -nologo | tee "$work/app/output.txt")
grep -q "^test accuracy [0-9.]* %" "$work/app/output.txt"
# The model the library saved, evaluated by the installed tool on the sample the library package carries.
"$convolve" eval "$work/app/my-model.safetensors" --data "$work/app/bin/Release/net10.0/data/fashion-mnist-sample" | sed -n 2p
"$convolve" export "$work/app/my-model.safetensors" --format onnx -o "$work/app/my-model.onnx" --input-shape 1x28x28
echo "packages checked: the tool installs and runs, the library restores from the packed folder alone and runs the README's snippet"
