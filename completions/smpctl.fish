# fish completion for smpctl
set -l commands bootloader conn datetime echo fs groups image mcumgr mpstat os params ports raw reset scan settings shell stat storage taskstat upgrade
complete -c smpctl -f
complete -c smpctl -l udp -r -d 'device over UDP (HOST[:PORT])'
# Serial ports a board is on: USB ones and their stable by-id names, not
# the virtual consoles (tty0..63) a file completion in /dev offers.
# Anything else typed (a path, tcp:HOST:PORT) completes as a file name.
function __smpctl_serial_ports
    set -l dev /dev
    set -q SMPCTL_DEVDIR; and set dev $SMPCTL_DEVDIR
    set -l cur (commandline -ct)
    set -l ports
    for p in $dev/ttyACM* $dev/ttyUSB* $dev/ttyAMA* $dev/serial/by-id/*
        test -e $p; and set -a ports $p
    end
    if set -q ports[1]; and begin
            test -z "$cur"; or string match -q -- "$dev/*" $cur; or string match -q -- "$cur*" $dev/
        end
        printf '%s\n' $ports
        return
    end
    __fish_complete_path $cur
end
complete -c smpctl -l serial -x -a '(__smpctl_serial_ports)' -d 'device on a serial port, or tcp:HOST:PORT'
complete -c smpctl -l ble -r -d 'device over Bluetooth LE'
complete -c smpctl -l baud -r -d 'serial speed'
complete -c smpctl -l rtscts -d 'serial hardware flow control'
complete -c smpctl -l serial-raw -d 'raw UART transport'
complete -c smpctl -l hci -r -d 'Bluetooth adapter'
complete -c smpctl -l addr-type -r -a 'public random' -d 'LE address type'
complete -c smpctl -l ble-backend -r -a 'dbus kernel' -d 'Bluetooth LE through bluetoothd or the kernel'
complete -c smpctl -l exec -r -a '(__fish_complete_command)' -d 'device behind a command (serial framing)'
complete -c smpctl -l exec-raw -r -a '(__fish_complete_command)' -d 'device behind a command (length-prefixed packets)'
complete -c smpctl -l mqtt -r -a 'mqtt:// mqtts://' -d 'device through an MQTT broker'
complete -c smpctl -l mqtt-topics -r -d 'request and answer topic templates'
complete -c smpctl -l mqtt-client-id -r -d 'MQTT client identifier'
complete -c smpctl -l cafile -r -F -d 'CA certificates for mqtts'
complete -c smpctl -l cert -r -F -d 'client certificate for mqtts'
complete -c smpctl -l cert-key -r -F -d 'private key of the client certificate'
complete -c smpctl -s t -l timeout -r -d 'seconds per answer'
complete -c smpctl -s r -l retries -r -d 'resends'
complete -c smpctl -s w -l window -r -d 'requests in flight'
complete -c smpctl -s m -l mtu -r -d 'largest packet'
complete -c smpctl -l frame-gap -r -d 'pause between serial frames (ms)'
complete -c smpctl -l smp-version -r -a '1 2' -d 'protocol version'
complete -c smpctl -l progress -r -a 'auto bar lines json none' -d 'transfer progress'
complete -c smpctl -s j -l json -d 'JSON output'
complete -c smpctl -l no-tlv-allow-list -d 'device MCUboot takes any unprotected TLV'
complete -c smpctl -l mcuboot -r -d 'device MCUboot build for image checks (KEY=VALUE,...)'
complete -c smpctl -l require-signature -d 'refuse images whose signature was not checked'
complete -c smpctl -s v -l verbose -d 'say more'
complete -c smpctl -s p -l profile -r -d 'connection profile'
complete -c smpctl -s h -l help -d 'help; after a command, its help'
complete -c smpctl -l version -d 'print the version'
complete -c smpctl -l conntype -r -a 'serial udp ble' -d 'Go mcumgr connection type'
complete -c smpctl -l connstring -r -d 'Go mcumgr connection string'
complete -c smpctl -l mcumgr-compat -d 'take Go mcumgr command lines'

complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a conn -d 'connection profiles'
set -l conn_cmds add show delete
complete -c smpctl -n "__fish_seen_subcommand_from conn; and not __fish_seen_subcommand_from $conn_cmds" -a "$conn_cmds"
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a mcumgr -d 'Go mcumgr output'
set -l mcumgr_cmds image-list image-test image-confirm
complete -c smpctl -n "__fish_seen_subcommand_from mcumgr; and not __fish_seen_subcommand_from $mcumgr_cmds" -a "$mcumgr_cmds"
complete -c smpctl -n "__fish_seen_subcommand_from upgrade" -l each -r -d 'boards: profiles or KIND:TARGET'
complete -c smpctl -n "__fish_seen_subcommand_from upgrade" -l each-file -r -F -d 'boards, one a line'
complete -c smpctl -n "__fish_seen_subcommand_from upgrade" -l each-timeout -r -d 'seconds a board may take'
complete -c smpctl -n "__fish_seen_subcommand_from upgrade" -l each-failed -r -F -d 'write the failed boards here'

complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a echo -d 'echo text back'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a image -d 'firmware images'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a os -d 'OS information'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a params -d 'buffer size and count'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a reset -d 'restart the device'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a ports -d 'serial ports with USB ids'
complete -c smpctl -n "__fish_seen_subcommand_from ports" -l all -d 'non-USB ports too'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a scan -d 'Bluetooth LE devices with SMP'
complete -c smpctl -n "__fish_seen_subcommand_from scan" -l all -d 'every device'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a upgrade -d 'verify, upload, test, reset, confirm'

set -l image_cmds list info upload test confirm erase slots
complete -c smpctl -n "__fish_seen_subcommand_from image; and not __fish_seen_subcommand_from $image_cmds" -a "$image_cmds"
complete -c smpctl -n "__fish_seen_subcommand_from os" -a info -d 'OS and build information'
complete -c smpctl -n "__fish_seen_subcommand_from upload upgrade info list test confirm" -F
complete -c smpctl -n "__fish_seen_subcommand_from upload upgrade info" -l key -r -F -d 'public key (PEM)'
complete -c smpctl -n "__fish_seen_subcommand_from image; and __fish_seen_subcommand_from upload; or __fish_seen_subcommand_from upgrade" -l image -r -d 'image number'
complete -c smpctl -n "__fish_seen_subcommand_from image; and __fish_seen_subcommand_from upload; or __fish_seen_subcommand_from upgrade" -l force -d 'upload even if present'
complete -c smpctl -n "__fish_seen_subcommand_from image; and __fish_seen_subcommand_from upload; or __fish_seen_subcommand_from upgrade" -l upgrade -d 'refuse older versions'
complete -c smpctl -n "__fish_seen_subcommand_from image; and __fish_seen_subcommand_from upload" -l chunk-size -r -d 'data bytes per chunk'
complete -c smpctl -n "__fish_seen_subcommand_from upgrade" -l test-only -d 'leave unconfirmed'
complete -c smpctl -n "__fish_seen_subcommand_from upgrade" -l allow-downgrade -d 'install an older version'
complete -c smpctl -n "__fish_seen_subcommand_from upgrade" -l dry-run -d 'show the steps'
complete -c smpctl -n "__fish_seen_subcommand_from upgrade" -l wait -r -d 'seconds to wait after reset'
complete -c smpctl -n "__fish_seen_subcommand_from erase" -l slot -r -d 'slot'
complete -c smpctl -n "__fish_seen_subcommand_from reset" -l force -d 'reset even if busy'
complete -c smpctl -n "__fish_seen_subcommand_from reset" -l boot-mode -r -d 'boot mode'

complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a taskstat -d 'threads and their stacks'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a mpstat -d 'memory pools'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a datetime -d 'the device clock'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a bootloader -d 'bootloader and MCUboot mode'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a fs -d 'files on the device'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a shell -d 'run a shell command'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a stat -d 'statistics'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a settings -d 'settings'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a groups -d 'groups the device supports'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a storage -d 'erase the storage partition'
complete -c smpctl -n "not __fish_seen_subcommand_from $commands" -a raw -d 'any request as JSON'
complete -c smpctl -n "__fish_seen_subcommand_from os" -a 'taskstat mpstat datetime bootloader'
complete -c smpctl -n "__fish_seen_subcommand_from bootloader" -a info -d 'bootloader information'
set -l datetime_cmds get set
complete -c smpctl -n "__fish_seen_subcommand_from datetime; and not __fish_seen_subcommand_from $datetime_cmds" -a "$datetime_cmds"
complete -c smpctl -n "__fish_seen_subcommand_from datetime; and __fish_seen_subcommand_from set" -a now -d 'the host clock'
set -l fs_cmds upload download stat hash hashes close
complete -c smpctl -n "__fish_seen_subcommand_from fs; and not __fish_seen_subcommand_from $fs_cmds" -a "$fs_cmds"
complete -c smpctl -n "__fish_seen_subcommand_from fs; and __fish_seen_subcommand_from upload download hash" -F
complete -c smpctl -n "__fish_seen_subcommand_from fs; and __fish_seen_subcommand_from upload download" -l force -d 'replace an existing file'
complete -c smpctl -n "__fish_seen_subcommand_from fs; and __fish_seen_subcommand_from hash" -l type -r -a 'sha256 crc32' -d 'hash type'
complete -c smpctl -n "__fish_seen_subcommand_from shell" -a exec -d 'run a command'
set -l stat_cmds list read
complete -c smpctl -n "__fish_seen_subcommand_from stat; and not __fish_seen_subcommand_from $stat_cmds" -a "$stat_cmds"
set -l settings_cmds read write delete commit load save
complete -c smpctl -n "__fish_seen_subcommand_from settings; and not __fish_seen_subcommand_from $settings_cmds" -a "$settings_cmds"
complete -c smpctl -n "__fish_seen_subcommand_from settings; and __fish_seen_subcommand_from read write" -l hex -d 'value as hex'
complete -c smpctl -n "__fish_seen_subcommand_from settings; and __fish_seen_subcommand_from read write" -l text -d 'value as text'
complete -c smpctl -n "__fish_seen_subcommand_from settings; and __fish_seen_subcommand_from read" -l out -r -F -d 'write the value to a file'
complete -c smpctl -n "__fish_seen_subcommand_from settings; and __fish_seen_subcommand_from read" -l force -d 'replace an existing file'
complete -c smpctl -n "__fish_seen_subcommand_from settings; and __fish_seen_subcommand_from read" -l max-size -r -d 'at most N bytes'
complete -c smpctl -n "__fish_seen_subcommand_from settings; and __fish_seen_subcommand_from write" -l file -r -F -d 'the value from a file'
complete -c smpctl -n "__fish_seen_subcommand_from storage; and not __fish_seen_subcommand_from erase" -a erase -d 'erase the storage partition'
complete -c smpctl -n "__fish_seen_subcommand_from storage; and __fish_seen_subcommand_from erase" -l yes -d 'do not ask'
complete -c smpctl -n "__fish_seen_subcommand_from raw" -l write -d 'a write request'
