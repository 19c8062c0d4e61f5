<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>JobMessages</name>
    <message numerus="yes">
        <source>%n file(s) did not fit in your quota (%1 more is needed).</source>
        <translation>
            <numerusform>%n file did not fit in your quota (%1 more is needed).</numerusform>
            <numerusform>%n files did not fit in your quota (%1 more is needed).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n more file(s) failed for other reasons.</source>
        <translation>
            <numerusform>%n more file failed for other reasons.</numerusform>
            <numerusform>%n more files failed for other reasons.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n more file(s) of this transfer failed too.</source>
        <translation>
            <numerusform>%n more file of this transfer failed too.</numerusform>
            <numerusform>%n more files of this transfer failed too.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::TransferQueueModel</name>
    <message numerus="yes">
        <source>%1 of %n file(s) done</source>
        <translation>
            <numerusform>%1 of %n file done</numerusform>
            <numerusform>%1 of %n files done</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) failed</source>
        <translation>
            <numerusform>%n file failed</numerusform>
            <numerusform>%n files failed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::gui::ConnectionController</name>
    <message numerus="yes">
        <source>Connection lost. Reconnecting in %n s…</source>
        <translation>
            <numerusform>Connection lost. Reconnecting in %n s…</numerusform>
            <numerusform>Connection lost. Reconnecting in %n s…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::gui::LocalPane</name>
    <message numerus="yes">
        <source>Move %n items to the trash?</source>
        <translation>
            <numerusform>Move %n item to the trash?</numerusform>
            <numerusform>Move %n items to the trash?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::gui::MainWindow</name>
    <message numerus="yes">
        <source>%n running transfer(s) will wait until you connect to %1 again.</source>
        <translation>
            <numerusform>%n running transfer will wait until you connect to %1 again.</numerusform>
            <numerusform>%n running transfers will wait until you connect to %1 again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n transfer(s) wait for %1.</source>
        <translation>
            <numerusform>%n transfer waits for %1.</numerusform>
            <numerusform>%n transfers wait for %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n transfer(s) have not finished. They stop now and continue where they stopped the next time you connect.</source>
        <translation>
            <numerusform>%n transfer has not finished. It stops now and continues where it stopped the next time you connect.</numerusform>
            <numerusform>%n transfers have not finished. They stop now and continue where they stopped the next time you connect.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::gui::RemotePane</name>
    <message numerus="yes">
        <source>Loading… %n item(s)</source>
        <translation>
            <numerusform>Loading… %n item</numerusform>
            <numerusform>Loading… %n items</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n items from the server?</source>
        <translation>
            <numerusform>Delete %n item from the server?</numerusform>
            <numerusform>Delete %n items from the server?</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ferry::gui::TransferStatus</name>
    <message numerus="yes">
        <source>%1 of %n file(s)</source>
        <translation>
            <numerusform>%1 of %n file</numerusform>
            <numerusform>%1 of %n files</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n cancelled</source>
        <translation>
            <numerusform>%n cancelled</numerusform>
            <numerusform>%n cancelled</numerusform>
        </translation>
    </message>
</context>
</TS>
