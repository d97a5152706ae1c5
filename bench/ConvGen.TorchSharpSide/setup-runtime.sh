#!/bin/sh
# Makes TorchSharp's libtorch loadable on Debian 12: libtorch 2.10 asks for GLIBCXX_3.4.32 (GCC 13's libstdc++), Debian 12's
# libstdc++6 stops at 3.4.30, and Debian 13's needs glibc 2.38 (Debian 12 has 2.36). So the TorchSharp side runs under
# Debian 13's glibc, libstdc++6 and libgcc-s1, unpacked into .runtime/ beside this script (nothing is installed system-wide),
# through a copy of the dotnet host whose ELF interpreter is Debian 13's loader. glibc and libstdc++ are backward compatible,
# so the .NET runtime and the system's other libraries load unchanged under them.
#
#   sh bench/ConvGen.TorchSharpSide/setup-runtime.sh      # once; needs apt-get (Debian), patchelf, and deb.debian.org
#
# The harness runs it when .runtime/ is missing; delete .runtime/ to redo it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/.runtime"
work="$out.partial"
command -v patchelf > /dev/null || { echo "patchelf not found (apt-get install patchelf)" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work/apt/lists/partial" "$work/apt/cache/partial" "$work/root" "$work/dotnet"
echo "deb http://deb.debian.org/debian trixie main" > "$work/apt/sources.list"
apt_private() {
    apt-get -q -o Dir::Etc::SourceList="$work/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null \
        -o Dir::State::Lists="$work/apt/lists" -o Dir::Cache="$work/apt/cache" -o APT::Sandbox::User="$(id -un)" "$@"
}
apt_private update > /dev/null
(cd "$work/apt" && apt_private download libc6/trixie libstdc++6/trixie libgcc-s1/trixie > /dev/null)
versions=""
for package in "$work"/apt/*.deb; do
    dpkg-deb -x "$package" "$work/root"
    versions="$versions $(dpkg-deb -f "$package" Package)=$(dpkg-deb -f "$package" Version)"
done
libraries="$work/root/usr/lib/x86_64-linux-gnu"
test -x "$libraries/ld-linux-x86-64.so.2" || { echo "Debian 13's loader is missing from the unpacked libc6" >&2; exit 1; }

# The host finds host/fxr and shared/ beside itself, so the copy gets links to the installed ones.
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
ln -s "$dotnet_root/host" "$work/dotnet/host"
ln -s "$dotnet_root/shared" "$work/dotnet/shared"
cp "$dotnet_root/dotnet" "$work/dotnet/dotnet"
final_libraries="$out/root/usr/lib/x86_64-linux-gnu"
# DT_RPATH, unlike DT_RUNPATH, also applies to the libraries loaded later (hostfxr, coreclr, libtorch): all of them must
# get Debian 13's libc and libstdc++ rather than mix them with the system's.
patchelf --set-interpreter "$final_libraries/ld-linux-x86-64.so.2" --force-rpath --set-rpath "$final_libraries" "$work/dotnet/dotnet"
rm -rf "$work/apt" "$out"
mv "$work" "$out"
"$out/dotnet/dotnet" --list-runtimes > /dev/null
echo "$versions" > "$out/versions"
echo "TorchSharp runtime ready in $out:$versions"
