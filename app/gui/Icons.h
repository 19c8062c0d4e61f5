#pragma once
// Every icon of the window in one place: the desktop's icon theme when it has one (so Ferry looks native),
// else Ferry's own icons from resources/icons, else the style's standard pixmaps.

#include <QIcon>

namespace ferry::gui::Icons {

QIcon app();
QIcon open();
QIcon upload();
QIcon download();
QIcon rename();
QIcon remove();
QIcon newFolder();
QIcon refresh();
QIcon copy();
QIcon back();
QIcon up();
QIcon connect();
QIcon disconnect();
QIcon pause();
QIcon resume();
QIcon cancel();
QIcon retry();
QIcon clear();

} // namespace ferry::gui::Icons
