#!/usr/bin/env bash
# Makes the short demo clip that exercises the "film" content type
# (content/films/demo/): three text cards on a plain background with a quiet
# synthetic tone, as VP9/Opus WebM, plus a poster taken from one of its frames.
#
# It is a demo made for the repository, not an awareness film: every card says so.
# Run from the repository root:  bash data/tools/make_demo_film.sh
# Needs: ffmpeg with libvpx-vp9, libopus, drawtext (libfreetype) and the DejaVu fonts.
set -euo pipefail

out=content/films/demo
font=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
bold=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
mkdir -p "$out"

# Card texts. drawtext needs ':' and '\'' escaped; keep the texts simple.
card() { # $1 start, $2 end, $3 big text, $4 small text, $5 optional second small line
  printf "drawtext=fontfile=%s:text='%s':fontcolor=white:fontsize=40:x=(w-text_w)/2:y=(h/2)-60:enable='between(t,%s,%s)'," "$bold" "$3" "$1" "$2"
  printf "drawtext=fontfile=%s:text='%s':fontcolor=white:fontsize=24:x=(w-text_w)/2:y=(h/2)+10:enable='between(t,%s,%s)'," "$font" "$4" "$1" "$2"
  if [ -n "${5:-}" ]; then
    printf "drawtext=fontfile=%s:text='%s':fontcolor=white:fontsize=24:x=(w-text_w)/2:y=(h/2)+48:enable='between(t,%s,%s)'," "$font" "$5" "$1" "$2"
  fi
}
label="drawtext=fontfile=$font:text='DEMO':fontcolor=white@0.8:fontsize=20:x=w-text_w-16:y=16"

filters="$(card 0 4 'Xəbərdar — demo clip' 'Nümayiş · Демо · Demo')"
filters+="$(card 4 8 '152' 'Pulsuz · 24/7 · Бесплатно · Free')"
filters+="$(card 8 12 'Bu, nümunə videodur.' 'Это демонстрационный ролик.' 'This is a demo clip.')"
filters+="$label"

ffmpeg -y -hide_banner -loglevel error \
  -f lavfi -i "color=c=0x1d3557:s=640x360:r=24:d=12" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=12" \
  -filter_complex "[0:v]${filters}[v];[1:a]volume=0.15,afade=t=in:d=0.5,afade=t=out:st=11.5:d=0.5[a]" \
  -map "[v]" -map "[a]" \
  -c:v libvpx-vp9 -b:v 0 -crf 40 -row-mt 1 -deadline good -cpu-used 4 \
  -c:a libopus -b:a 24k \
  -map_metadata -1 -fflags +bitexact \
  "$out/demo.webm"

# Poster: a frame from the first card, so the poster comes from the film itself.
ffmpeg -y -hide_banner -loglevel error -ss 2 -i "$out/demo.webm" -frames:v 1 \
  -map_metadata -1 "$out/poster.png"

ls -l "$out/demo.webm" "$out/poster.png"
