Attribute VB_Name = "XlpyRibbon"
Option Explicit
' Ribbon callbacks of the xlpy add-in (customUI14.xml): each button runs one function of the
' Python module xlpy.ribbon, which shows its own messages in Chinese. This source stays ASCII:
' Chinese text lives in the ribbon XML and in Python.

Sub ValidateSheet(control As IRibbonControl)
    If Not HasWorkbook() Then Exit Sub
    RunPython "import xlpy.ribbon; xlpy.ribbon.validate_sheet()"
End Sub

Sub ConsolidateMonth(control As IRibbonControl)
    If Not HasWorkbook() Then Exit Sub
    RunPython "import xlpy.ribbon; xlpy.ribbon.consolidate_month()"
End Sub

Sub NewMonth(control As IRibbonControl)
    If Not HasWorkbook() Then Exit Sub
    RunPython "import xlpy.ribbon; xlpy.ribbon.new_month()"
End Sub

Sub UpdateParameters(control As IRibbonControl)
    If Not HasWorkbook() Then Exit Sub
    RunPython "import xlpy.ribbon; xlpy.ribbon.update_parameters()"
End Sub

Sub ShowHelp(control As IRibbonControl)
    If Not HasWorkbook() Then Exit Sub
    RunPython "import xlpy.ribbon; xlpy.ribbon.show_help()"
End Sub

Sub FeedbackSlips(control As IRibbonControl)
    If Not HasWorkbook() Then Exit Sub
    RunPython "import xlpy.ribbon; xlpy.ribbon.feedback_slips()"
End Sub

Sub PrintDocuments(control As IRibbonControl)
    If Not HasWorkbook() Then Exit Sub
    RunPython "import xlpy.ribbon; xlpy.ribbon.print_documents()"
End Sub

' RunPython passes the active workbook to Python; without one there is nothing to work on.
' The message reads: qing xian da kai gong zuo bu (please open a workbook first).
Private Function HasWorkbook() As Boolean
    HasWorkbook = Not ActiveWorkbook Is Nothing
    If Not HasWorkbook Then
        MsgBox ChrW(&H8BF7) & ChrW(&H5148) & ChrW(&H6253) & ChrW(&H5F00) & ChrW(&H5DE5) & _
            ChrW(&H4F5C) & ChrW(&H7C3F) & ChrW(&H3002), vbExclamation, "xlpy"
    End If
End Function
