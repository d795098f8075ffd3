#!/bin/bash
# The deb's after-install (electron-builder's, with one change): /usr/bin/${executable} is Ferry's command line
# (resources/cli/ferry, which runs the app's binary with --cli), not the app's binary; the menu entry starts the binary
# itself (/opt/${sanitizedProductName}/${executable}), so the window opens from the menu as before.
CLI='/opt/${sanitizedProductName}/resources/cli/ferry'
chmod 0755 "$CLI" || true
if type update-alternatives >/dev/null 2>&1; then
    # an earlier Ferry linked the binary itself, or a plain link without update-alternatives
    update-alternatives --remove '${executable}' '/opt/${sanitizedProductName}/${executable}' >/dev/null 2>&1 || true
    if [ -L '/usr/bin/${executable}' -a "`readlink '/usr/bin/${executable}'`" != '/etc/alternatives/${executable}' ]; then
        rm -f '/usr/bin/${executable}'
    fi
    update-alternatives --install '/usr/bin/${executable}' '${executable}' "$CLI" 100 || ln -sf "$CLI" '/usr/bin/${executable}'
else
    ln -sf "$CLI" '/usr/bin/${executable}'
fi

# chrome-sandbox: SUID only on systems without user namespaces
if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; }; then
    chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
else
    chmod 0755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
fi

if hash update-mime-database 2>/dev/null; then
    update-mime-database /usr/share/mime || true
fi
if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi

# the AppArmor profile electron-builder ships (Ubuntu 24+), when this AppArmor accepts it
if apparmor_status --enabled > /dev/null 2>&1; then
  APPARMOR_PROFILE_SOURCE='/opt/${sanitizedProductName}/resources/apparmor-profile'
  APPARMOR_PROFILE_TARGET='/etc/apparmor.d/${executable}'
  if apparmor_parser --skip-kernel-load --debug "$APPARMOR_PROFILE_SOURCE" > /dev/null 2>&1; then
    cp -f "$APPARMOR_PROFILE_SOURCE" "$APPARMOR_PROFILE_TARGET"
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --replace --write-cache --skip-read-cache "$APPARMOR_PROFILE_TARGET"
    fi
  fi
fi
