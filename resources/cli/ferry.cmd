@echo off
rem `ferry`: Ferry's command line in the installed app (README, "Command line"). The packaged app has Electron's
rem RunAsNode fuse off, so there is no separate Node: Ferry.exe runs the CLI when started with --cli, without a window.
"%~dp0Ferry.exe" --cli %*
exit /b %ERRORLEVEL%
