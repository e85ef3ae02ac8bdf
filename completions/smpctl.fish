# fish completion for smpctl
set -l commands echo image os params reset scan upgrade
complete -c smpctl -f
complete -c smpctl -l udp -r -d 'device over UDP (HOST[:PORT])'
complete -c smpctl -l serial -r -F -d 'device on a serial port, or tcp:HOST:PORT'
complete -c smpctl -l ble -r -d 'device over Bluetooth LE'
complete -c smpctl -l baud -r -d 'serial speed'
complete -c smpctl -l rtscts -d 'serial hardware flow control'
complete -c smpctl -l serial-raw -d 'raw UART transport'
complete -c smpctl -l hci -r -d 'Bluetooth adapter'
complete -c smpctl -l addr-type -r -a 'public random' -d 'LE address type'
complete -c smpctl -s t -l timeout -r -d 'seconds per answer'
complete -c smpctl -s r -l retries -r -d 'resends'
complete -c smpctl -s w -l window -r -d 'requests in flight'
complete -c smpctl -s m -l mtu -r -d 'largest packet'
complete -c smpctl -l smp-version -r -a '1 2' -d 'protocol version'
complete -c smpctl -s j -l json -d 'JSON output'
complete -c smpctl -s v -l verbose -d 'say more'
complete -c smpctl -s p -l profile -r -d 'connection profile'

complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a echo -d 'echo text back'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a image -d 'firmware images'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a os -d 'OS information'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a params -d 'buffer size and count'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a reset -d 'restart the device'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a scan -d 'Bluetooth LE devices with SMP'
complete -c smpctl -n "__fish_seen_subcommand_from scan" -l all -d 'every device'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a upgrade -d 'verify, upload, test, reset, confirm'

set -l image_cmds list info upload test confirm erase slots
complete -c smpctl -n "__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from $image_cmds" -a "$image_cmds"
complete -c smpctl -n "__fish_seen_subcommand_from os" -a info -d 'OS and build information'
complete -c smpctl -n "__fish_seen_subcommand_from upload upgrade info list test confirm" -F
complete -c smpctl -n "__fish_seen_subcommand_from upload upgrade info" -l key -r -F -d 'public key (PEM)'
complete -c smpctl -n "__fish_seen_subcommand_from upload upgrade" -l image -r -d 'image number'
complete -c smpctl -n "__fish_seen_subcommand_from upload upgrade" -l force -d 'upload even if present'
complete -c smpctl -n "__fish_seen_subcommand_from upload upgrade" -l upgrade -d 'refuse older versions'
complete -c smpctl -n "__fish_seen_subcommand_from upload" -l chunk-size -r -d 'data bytes per chunk'
complete -c smpctl -n "__fish_seen_subcommand_from upgrade" -l test-only -d 'leave unconfirmed'
complete -c smpctl -n "__fish_seen_subcommand_from upgrade" -l dry-run -d 'show the steps'
complete -c smpctl -n "__fish_seen_subcommand_from upgrade" -l wait -r -d 'seconds to wait after reset'
complete -c smpctl -n "__fish_seen_subcommand_from erase" -l slot -r -d 'slot'
complete -c smpctl -n "__fish_seen_subcommand_from reset" -l force -d 'reset even if busy'
complete -c smpctl -n "__fish_seen_subcommand_from reset" -l boot-mode -r -d 'boot mode'
