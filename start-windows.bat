@echo off
rem Edu-ASI: double-click this file to start (Windows). It needs Python 3.11 or newer from
rem python.org, installed with "Add python.exe to PATH" ticked. It runs run.py, which does the rest.
cd /d "%~dp0"
where py >nul 2>nul
if %errorlevel%==0 (
    py -3 run.py %*
) else (
    python run.py %*
)
echo.
echo Edu-ASI has stopped. Press a key to close this window.
pause >nul
